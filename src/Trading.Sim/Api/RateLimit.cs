namespace Trading.Sim.Api;

/// <summary>
/// One clock-aligned limit window, as Binance counts them: a "1 MINUTE" window resets at every :00 second,
/// "10 SECOND" at :00, :10…, "1 DAY" at 00:00 UTC. Not thread-safe (used under the exchange lock).
/// </summary>
internal sealed class RateLimit(string type, string interval, int intervalNum, int limit, bool enforced = true)
{
    private long _windowStart = long.MinValue;

    public string Type { get; } = type;

    public string Interval { get; } = interval;

    public int IntervalNum { get; } = intervalNum;

    public int Limit { get; } = limit;

    public int Count { get; private set; }

    public long WindowMs => IntervalNum * Interval switch
    {
        "SECOND" => 1_000L,
        "MINUTE" => 60_000L,
        "HOUR" => 3_600_000L,
        _ => 86_400_000L,
    };

    /// <summary>Start of the next window: when a refused request may retry (epoch ms).</summary>
    public long NextWindow => _windowStart + WindowMs;

    /// <summary>Adds <paramref name="amount"/> in the window of <paramref name="nowMs"/>; false when that exceeds the limit
    /// (never when the limit is not enforced: <see cref="RateLimitMode.Off"/> counts only).</summary>
    public bool Add(int amount, long nowMs)
    {
        Roll(nowMs);
        Count += amount;
        return Count <= Limit || !enforced;
    }

    public int CurrentCount(long nowMs)
    {
        Roll(nowMs);
        return Count;
    }

    private void Roll(long nowMs)
    {
        var start = nowMs - (((nowMs % WindowMs) + WindowMs) % WindowMs);
        if (start != _windowStart)
        {
            _windowStart = start;
            Count = 0;
        }
    }
}
