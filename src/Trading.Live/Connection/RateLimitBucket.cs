using Trading.Live.Binance;

namespace Trading.Live.Connection;

/// <summary>
/// One of the venue's limits: at most <see cref="Limit"/> units per window of <see cref="WindowMs"/>, windows aligned
/// to the venue's clock (Binance counts per calendar minute / 10 s / day and resets at the boundary, not a sliding
/// window). The tokens left are <see cref="Limit"/> − used, and the bucket refills whole at the next boundary. A plain
/// continuously refilling bucket would be wrong here: it could spend nearly twice the limit inside one fixed window.
/// </summary>
internal sealed class RateLimitBucket
{
    public RateLimitBucket(RateLimitType type, char interval, int intervalNum, int limit)
    {
        Type = type;
        Interval = interval;
        IntervalNum = intervalNum;
        Limit = limit;
        WindowMs = intervalNum * interval switch
        {
            'S' => 1_000L,
            'M' => 60_000L,
            'H' => 3_600_000L,
            'D' => 86_400_000L,
            _ => throw new ArgumentOutOfRangeException(nameof(interval), interval, "rate limit interval: expected S, M, H or D"),
        };
    }

    public RateLimitType Type { get; }

    public char Interval { get; }

    public int IntervalNum { get; }

    public int Limit { get; }

    public long WindowMs { get; }

    /// <summary>Units counted in the current window.</summary>
    public int Used { get; private set; }

    /// <summary>Start of the window <see cref="Used"/> belongs to (venue ms).</summary>
    public long WindowStart { get; private set; }

    public long WindowEnd => WindowStart + WindowMs;

    /// <summary>Moves to the window holding <paramref name="venueNow"/>; a new window starts empty.</summary>
    public void Roll(long venueNow)
    {
        var start = venueNow - (((venueNow % WindowMs) + WindowMs) % WindowMs);
        if (start > WindowStart)
        {
            WindowStart = start;
            Used = 0;
        }
    }

    public bool Fits(int units, int headroom) => Used + units <= Limit - headroom;

    public void Take(int units) => Used += units;

    /// <summary>The venue's own count for this window: never below what was counted here (requests still in flight).</summary>
    public void Correct(int venueCount) => Used = Math.Max(Used, venueCount);

    /// <summary>The venue's count for this window plus what it cannot have counted yet (sent after the answer's request).</summary>
    public void Set(int count) => Used = Math.Max(0, count);

    /// <summary>Nothing more in this window (the venue said 429).</summary>
    public void Exhaust() => Used = Math.Max(Used, Limit);

    public bool Matches(in RateLimitEntry e) => e.Type == Type && e.Interval == Interval && e.IntervalNum == IntervalNum;
}
