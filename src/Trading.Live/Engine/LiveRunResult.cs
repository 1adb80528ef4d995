using Trading.Core.Accounting;

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
