namespace Trading.Sim.Api;

/// <summary>
/// A request's outcome: HTTP-style <see cref="Status"/>, the result JSON or the <c>{"code","msg"}</c> error JSON
/// (<see cref="IsError"/>), the limits to report, and (faults) a delay before the reply may be sent.
/// </summary>
internal sealed record ApiReply(int Status, byte[] Body, bool IsError, long? RetryAfterMs, IReadOnlyList<RateLimitCount> Limits, TimeSpan Delay, bool CountsOrders)
{
    public int WeightUsed => Limits.FirstOrDefault(l => l.Type == "REQUEST_WEIGHT").Count;
}
