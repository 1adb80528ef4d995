using System.Net;
using System.Net.Sockets;
using Trading.Live.Engine;

namespace Trading.Live.Tests.Engine;

/// <summary>The engine's instruments scraped over HTTP in Prometheus' text format.</summary>
public sealed class PrometheusEndpointTests
{
    [Fact]
    public async Task Serves_the_live_instruments_with_their_values()
    {
        var port = FreePort();
        using var endpoint = PrometheusEndpoint.Start(port);
        using var metrics = new LiveMetrics();
        metrics.OrdersSent.Add(3);
        metrics.TickToOrder.Record(12.5);
        using var http = new HttpClient();
        var text = await http.GetStringAsync(endpoint.Url);
        // Engine tests running in parallel record into meters of the same name: at least this test's 3.
        var sent = System.Text.RegularExpressions.Regex.Match(text, @"quant_live_orders_sent(_total)?(\{[^}]*\})? (\d+)\b");
        Assert.True(sent.Success, text);
        Assert.True(long.Parse(sent.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) >= 3, sent.Value);
        Assert.Contains("quant_live_tick_to_order", text, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
