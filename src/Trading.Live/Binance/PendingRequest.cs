namespace Trading.Live.Binance;

/// <summary>A request sent and not yet answered: its id, purpose, the order it concerns (0: none), its deadline and when
/// it was handed to the socket (loop ticks; 0 while it waits for the rate limiter). A round trip measured from
/// <see cref="SentTicks"/> excludes the time it waited to leave.</summary>
public readonly record struct PendingRequest(long Id, RequestKind Kind, long Sequence, long DeadlineTicks, long SentTicks = 0);
