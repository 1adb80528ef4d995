using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Trading.Live.Engine;

/// <summary>
/// Serves the <see cref="LiveMetrics.MeterName"/> instruments for Prometheus at <c>http://127.0.0.1:PORT/metrics</c>
/// (OpenTelemetry's Prometheus HttpListener exporter) while it is alive. Loopback only: metrics are for the operator's
/// own scraper; put a proxy in front to expose them. Dispose to stop serving.
/// </summary>
public sealed class PrometheusEndpoint : IDisposable
{
    private readonly MeterProvider _provider;

    private PrometheusEndpoint(MeterProvider provider, int port)
    {
        _provider = provider;
        Url = new Uri($"http://127.0.0.1:{port}/metrics");
    }

    public Uri Url { get; }

    public static PrometheusEndpoint Start(int port)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(LiveMetrics.MeterName)
            .AddPrometheusHttpListener(o =>
            {
                o.Host = "127.0.0.1";
                o.Port = port;
            })
            .Build();
        return new PrometheusEndpoint(provider, port);
    }

    public void Dispose() => _provider.Dispose();
}
