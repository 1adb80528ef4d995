namespace Trading.Live.Binance;

/// <summary>A request sent and not yet answered: its id, purpose, the order it concerns (0: none) and its deadline (loop ticks).</summary>
public readonly record struct PendingRequest(long Id, RequestKind Kind, long Sequence, long DeadlineTicks);
