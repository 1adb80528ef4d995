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
    long EndTime);
