using System.Diagnostics.Metrics;

namespace Trading.Live.Engine;

/// <summary>
/// The engine's instruments (System.Diagnostics.Metrics, meter <see cref="MeterName"/>): visible with
/// <c>dotnet-counters monitor --counters Quant.Live</c>, and exported for Prometheus by <c>quant live --metrics-port</c>
/// when that is available. Recording allocates nothing (no tags) and costs next to nothing with no listener, so the
/// hot path records every market message.
/// </summary>
public sealed class LiveMetrics : IDisposable
{
    public const string MeterName = "Quant.Live";

    private readonly Meter _meter = new(MeterName, "1.0");

    public LiveMetrics()
    {
        MessagesIn = _meter.CreateCounter<long>("quant.live.messages_in", "{message}", "market-stream frames received");
        OrdersSent = _meter.CreateCounter<long>("quant.live.orders_sent", "{order}", "order.place requests sent");
        OrdersRejected = _meter.CreateCounter<long>("quant.live.orders_rejected", "{order}", "orders rejected by filters, the risk gate or the venue");
        Fills = _meter.CreateCounter<long>("quant.live.fills", "{fill}", "fills applied (each trade once)");
        RiskTrips = _meter.CreateCounter<long>("quant.live.risk_trips", "{trip}", "kill-switch trips");
        BadFrames = _meter.CreateCounter<long>("quant.live.bad_frames", "{frame}", "frames skipped as malformed, truncated or of an unknown kind");
        TickToOrder = _meter.CreateHistogram<double>("quant.live.tick_to_order", "us", "market frame handed to the engine → order frame queued for the socket");
    }

    public Counter<long> MessagesIn { get; }

    public Counter<long> OrdersSent { get; }

    public Counter<long> OrdersRejected { get; }

    public Counter<long> Fills { get; }

    public Counter<long> RiskTrips { get; }

    public Counter<long> BadFrames { get; }

    public Histogram<double> TickToOrder { get; }

    /// <summary>The meter behind the instruments (a listener can pick this run's instruments by it).</summary>
    public Meter Meter => _meter;

    public void Dispose() => _meter.Dispose();
}
