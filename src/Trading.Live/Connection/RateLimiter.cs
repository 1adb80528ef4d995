using Trading.Live.Binance;

namespace Trading.Live.Connection;

/// <summary>
/// The client-side rate limiter: one <see cref="RateLimitBucket"/> per entry of exchangeInfo's <c>rateLimits</c>
/// (REQUEST_WEIGHT per minute, ORDERS per 10 s and per day, RAW_REQUESTS per 5 minutes...), checked before a request
/// leaves — all buckets or none, so a refused request costs nothing — and corrected by the counts every response
/// carries (<see cref="Observe"/>), which also covers what other clients of the same IP or account spent.
/// <para>On a 429 or −1003 the engine calls <see cref="OnRateLimited"/> with the response's Retry-After: every request
/// is refused until then, so the venue never sees the further requests that would earn a 418 ban. A 418 itself
/// (<see cref="OnBanned"/>) is the same with the ban's length. <see cref="Headroom"/> keeps a few units of every window
/// in reserve for what must go out (a cancel during a storm of new orders) — callers mark those with
/// <c>urgent</c>.</para>
/// <para>Times are the venue's clock in ms (local time plus the measured offset), so windows line up with the
/// venue's. Loop thread only; no allocation per request.</para>
/// </summary>
public sealed class RateLimiter
{
    private readonly RateLimitBucket[] _buckets;
    private long _blockedUntil;

    /// <param name="limits">exchangeInfo's <c>rateLimits</c> (entries of unknown type are ignored).</param>
    /// <param name="headroom">Units of each window only urgent requests may use.</param>
    public RateLimiter(IEnumerable<RateLimitEntry> limits, int headroom = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
        _buckets = limits.Where(l => l.Type != RateLimitType.Other)
            .Select(l => new RateLimitBucket(l.Type, l.Interval, l.IntervalNum, l.Limit)).ToArray();
        Headroom = headroom;
    }

    public int Headroom { get; }

    /// <summary>Until when (venue ms) everything is refused after a 429 / 418; 0 when never.</summary>
    public long BlockedUntil => _blockedUntil;

    /// <summary>Requests refused so far (a metric).</summary>
    public long Refused { get; private set; }

    /// <summary>
    /// Takes <paramref name="cost"/> from every bucket it concerns and returns true, or returns false taking nothing and
    /// sets <paramref name="retryAt"/> to the earliest venue time at which the same request could fit. Call it right
    /// before handing the request to the socket; on false, arm a loop timer for <paramref name="retryAt"/>.
    /// </summary>
    public bool TryAcquire(RequestCost cost, long venueNow, out long retryAt, bool urgent = false)
    {
        if (venueNow < _blockedUntil)
        {
            retryAt = _blockedUntil;
            Refused++;
            return false;
        }

        var reserve = urgent ? 0 : Headroom;
        retryAt = venueNow;
        foreach (var b in _buckets)
        {
            b.Roll(venueNow);
            var units = Units(b.Type, cost);
            if (units > 0 && !b.Fits(units, reserve))
            {
                retryAt = Math.Max(retryAt, b.WindowEnd);
            }
        }

        if (retryAt > venueNow)
        {
            Refused++;
            return false;
        }

        foreach (var b in _buckets)
        {
            b.Take(Units(b.Type, cost));
        }

        return true;
    }

    /// <summary>
    /// A response's <c>rateLimits</c> when what is still in flight is known: the venue's count for each window it reports
    /// is the truth for what it has received, so the local count becomes that plus <paramref name="inFlight"/> (what was
    /// sent after the answered request) — down as well as up. Down matters when the venue's windows are not the ones this
    /// side counts (a clock a little off at a boundary; a simulator that counts on its replay clock): the venue's word on
    /// what it has counted wins over a local guess.
    /// </summary>
    public void Observe(ReadOnlySpan<RateLimitEntry> counts, long venueNow, InFlightCost inFlight)
    {
        foreach (var e in counts)
        {
            foreach (var b in _buckets)
            {
                if (b.Matches(e))
                {
                    b.Roll(venueNow);
                    b.Set(e.Count + b.Type switch
                    {
                        RateLimitType.RequestWeight => inFlight.Weight,
                        RateLimitType.Orders => inFlight.Orders,
                        RateLimitType.RawRequests => inFlight.Requests,
                        _ => 0,
                    });
                }
            }
        }
    }

    /// <summary>A response's <c>rateLimits</c> when what is in flight is not known: the venue's counts for the windows it
    /// reports (at <paramref name="venueNow"/>) raise the local ones, never lower them (requests may still be in flight).</summary>
    public void Observe(ReadOnlySpan<RateLimitEntry> counts, long venueNow)
    {
        foreach (var e in counts)
        {
            foreach (var b in _buckets)
            {
                if (b.Matches(e))
                {
                    b.Roll(venueNow);
                    b.Correct(e.Count);
                }
            }
        }
    }

    /// <summary>
    /// A 429 or −1003: nothing leaves for <paramref name="retryAfter"/> (the response's Retry-After), the venue's own word
    /// on when it will take requests again — after it the windows are as the venue's counts say. Without one, the
    /// windows it could concern are spent: nothing leaves before the current REQUEST_WEIGHT window (the calendar minute)
    /// has ended.
    /// </summary>
    public void OnRateLimited(long venueNow, TimeSpan? retryAfter)
    {
        if (retryAfter is { } r)
        {
            _blockedUntil = Math.Max(_blockedUntil, venueNow + (long)Math.Ceiling(r.TotalMilliseconds));
            return;
        }

        _blockedUntil = Math.Max(_blockedUntil, venueNow + 60_000 - (venueNow % 60_000));
        foreach (var b in _buckets)
        {
            b.Roll(venueNow);
            if (b.Type != RateLimitType.Orders)
            {
                b.Exhaust();
            }
        }
    }

    /// <summary>A 418 (an IP ban): nothing leaves until its end.</summary>
    public void OnBanned(long venueNow, TimeSpan retryAfter) => OnRateLimited(venueNow, retryAfter);

    /// <summary>Units left in the tightest window of <paramref name="type"/> at <paramref name="venueNow"/> (for status lines and tests).</summary>
    public int Remaining(RateLimitType type, long venueNow)
    {
        var left = int.MaxValue;
        foreach (var b in _buckets)
        {
            if (b.Type == type)
            {
                b.Roll(venueNow);
                left = Math.Min(left, b.Limit - b.Used);
            }
        }

        return left;
    }

    private static int Units(RateLimitType type, RequestCost cost) => type switch
    {
        RateLimitType.RequestWeight => cost.Weight,
        RateLimitType.Orders => cost.IsOrder ? 1 : 0,
        RateLimitType.RawRequests => 1,
        _ => 0,
    };
}
