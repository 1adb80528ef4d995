using Trading.Core.Accounting;
using Trading.Core.Orders;

namespace Trading.Live.Engine;

/// <summary>How a run ended and what it did.</summary>
public sealed record LiveRunResult(
    LiveStopReason Reason,
    string? Error,
    IReadOnlyList<LiveFill> Fills,
    int OrdersSent,
    int OrdersRejected,
    int OpenOrdersLeft,
    decimal StartingEquity,
    decimal FinalCash,
    Position FinalPosition,
    decimal FinalEquity,
    decimal FeesPaid,
    long MarketMessages,
    long MalformedFrames,
    long StartTime,
    long EndTime)
{
    /// <summary>The account at each live candle close (<see cref="LiveCurvePoint"/>), oldest first.</summary>
    public IReadOnlyList<LiveCurvePoint> Curve { get; init; } = [];

    /// <summary>The last live candle's close; 0 when none closed.</summary>
    public double LastClose { get; init; }

    /// <summary>The last trade price the position was valued at.</summary>
    public decimal LastPrice { get; init; }

    /// <summary>History candles the strategy was warmed up on.</summary>
    public int WarmUpCandles { get; init; }

    public long IntervalMs { get; init; }

    /// <summary>The instrument's lot step (a holding below it is dust, flat for trades).</summary>
    public decimal LotStep { get; init; }

    public IReadOnlyList<OrderView> RejectedOrders { get; init; } = [];

    /// <summary>Orders still working when the run ended (kept with --keep-orders, or not confirmed canceled in time).</summary>
    public IReadOnlyList<OrderView> OpenOrders { get; init; } = [];

    /// <summary>WebSocket API sessions opened after the first (reconnects).</summary>
    public int ApiReconnects { get; init; }

    /// <summary>Market stream connections opened after the first.</summary>
    public int MarketReconnects { get; init; }

    /// <summary>Closed candles the strategy got from REST gap fills.</summary>
    public int GapCandles { get; init; }

    /// <summary>Frames skipped as malformed, truncated or of an unknown kind (the bad_frames metric).</summary>
    public long BadFrames { get; init; }

    /// <summary>Requests the client-side rate limiter held back before they could leave.</summary>
    public long RateLimited { get; init; }

    /// <summary>The restart reconciliation's report; null when the journal had no orders.</summary>
    public Trading.Live.Reconcile.ReconciliationReport? Reconciliation { get; init; }
}
