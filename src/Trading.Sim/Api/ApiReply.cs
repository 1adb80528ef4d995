namespace Trading.Sim.Api;

/// <summary>
/// A request's outcome: HTTP-style <see cref="Status"/>, the result JSON or the <c>{"code","msg"}</c> error JSON
/// (<see cref="IsError"/>), the limits to report, and what faults do to the reply: <see cref="Delay"/> (wall time before
/// it may be sent), <see cref="Lost"/> (never sent), <see cref="HeldUntilStep"/> (lockstep: sent once the replay clock
/// passes the delay; REST awaits it).
/// </summary>
internal sealed record ApiReply(int Status, byte[] Body, bool IsError, long? RetryAfterMs, IReadOnlyList<RateLimitCount> Limits, TimeSpan Delay, bool CountsOrders)
{
    public bool Lost { get; init; }

    public Task? HeldUntilStep { get; init; }

    public int WeightUsed => Limits.FirstOrDefault(l => l.Type == "REQUEST_WEIGHT").Count;
}
