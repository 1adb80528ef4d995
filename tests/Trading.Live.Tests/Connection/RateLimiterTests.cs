using Trading.Live.Binance;
using Trading.Live.Connection;

namespace Trading.Live.Tests.Connection;

/// <summary>The rate limiter on a clock the test drives (venue ms), against Binance's spot limits.</summary>
public sealed class RateLimiterTests
{
    private const long Minute = 60_000;
    private const long T0 = 1_700_000_080_000; // 40 s into a minute (1_700_000_040_000 is a boundary)

    private static readonly RateLimitEntry[] Spot =
    [
        new(RateLimitType.RequestWeight, 'M', 1, 6000, 0),
        new(RateLimitType.Orders, 'S', 10, 50, 0),
        new(RateLimitType.Orders, 'D', 1, 160_000, 0),
        new(RateLimitType.RawRequests, 'M', 5, 61_000, 0),
        new(RateLimitType.Other, 'M', 1, 1, 0),
    ];

    [Fact]
    public void Weight_is_refused_past_the_minute_and_allowed_again_at_its_boundary()
    {
        var limiter = new RateLimiter(Spot);
        var allowed = 0;
        long retryAt = 0;
        while (limiter.TryAcquire(new RequestCost(20), T0, out retryAt))
        {
            allowed++;
        }

        Assert.Equal(300, allowed); // 6000 / 20
        Assert.Equal(T0 - 40_000 + Minute, retryAt); // the next calendar minute
        Assert.False(limiter.TryAcquire(new RequestCost(20), retryAt - 1, out _));
        Assert.True(limiter.TryAcquire(new RequestCost(20), retryAt, out _));
        Assert.Equal(5980, limiter.Remaining(RateLimitType.RequestWeight, retryAt));
    }

    [Fact]
    public void A_refused_order_costs_nothing_and_waits_for_its_ten_second_window()
    {
        var limiter = new RateLimiter(Spot);
        for (var i = 0; i < 50; i++)
        {
            Assert.True(limiter.TryAcquire(RequestCost.Order, T0 + 3_000, out _));
        }

        Assert.False(limiter.TryAcquire(RequestCost.Order, T0 + 3_000, out var retryAt));
        Assert.Equal(T0 + 10_000, retryAt);
        Assert.Equal(6000 - 50, limiter.Remaining(RateLimitType.RequestWeight, T0 + 3_000)); // the refusal took no weight
        Assert.True(limiter.TryAcquire(new RequestCost(1), T0 + 3_000, out _)); // a query is not an order
        Assert.True(limiter.TryAcquire(RequestCost.Order, T0 + 10_000, out _));
        Assert.Equal(1, limiter.Refused);
    }

    [Fact]
    public void The_venues_counts_correct_the_local_ones_upwards_only()
    {
        var limiter = new RateLimiter(Spot);
        Assert.True(limiter.TryAcquire(new RequestCost(100), T0, out _));
        limiter.Observe([new(RateLimitType.RequestWeight, 'M', 1, 6000, 5990)], T0); // another client on this IP
        Assert.False(limiter.TryAcquire(new RequestCost(20), T0, out _));
        Assert.True(limiter.TryAcquire(new RequestCost(10), T0, out _));
        limiter.Observe([new(RateLimitType.RequestWeight, 'M', 1, 6000, 3)], T0); // stale: requests still in flight
        Assert.Equal(0, limiter.Remaining(RateLimitType.RequestWeight, T0));
    }

    [Fact]
    public void Headroom_is_kept_for_urgent_requests()
    {
        var limiter = new RateLimiter(Spot, headroom: 5);
        for (var i = 0; i < 45; i++)
        {
            Assert.True(limiter.TryAcquire(RequestCost.Order, T0, out _));
        }

        Assert.False(limiter.TryAcquire(RequestCost.Order, T0, out _));
        Assert.True(limiter.TryAcquire(RequestCost.Order, T0, out _, urgent: true));
    }

    [Fact]
    public void After_a_429_nothing_leaves_until_retry_after()
    {
        var limiter = new RateLimiter(Spot);
        limiter.OnRateLimited(T0, TimeSpan.FromSeconds(7));
        Assert.False(limiter.TryAcquire(new RequestCost(1), T0 + 6_999, out var retryAt, urgent: true));
        Assert.Equal(T0 + 7_000, retryAt);
        // The venue said when: from then on, requests leave (the windows are as its counts say).
        Assert.True(limiter.TryAcquire(new RequestCost(1), T0 + 7_000, out _));
    }

    [Fact]
    public void After_a_429_without_retry_after_the_minute_it_happened_in_is_spent()
    {
        var limiter = new RateLimiter(Spot);
        limiter.OnRateLimited(T0, null);
        Assert.False(limiter.TryAcquire(new RequestCost(1), T0 + 7_000, out var retryAt, urgent: true));
        Assert.Equal(T0 + 20_000, retryAt);
        Assert.True(limiter.TryAcquire(new RequestCost(1), T0 + 20_000, out _));
    }

    /// <summary>
    /// A reconnect storm against a venue that counts weight per calendar minute, answers 429 (Retry-After) past it and
    /// bans (418) a client that sends during a 429 back-off; a second, hidden client spends 4000 of the 6000 each minute.
    /// </summary>
    [Fact]
    public void A_storm_against_a_busy_ip_never_earns_a_418()
    {
        var limiter = new RateLimiter(Spot);
        var venue = new CountingVenue(6000);
        var rejected = 0;
        var sent = 0;
        for (var now = T0; now < T0 + (10 * Minute); now += 10)
        {
            venue.Hidden(now, now % Minute < 10 ? 4000 : 0); // the other client at the start of every minute
            if (!limiter.TryAcquire(new RequestCost(2), now, out _))
            {
                continue; // a real engine arms a timer for retryAt; trying every 10 ms is the harsher test
            }

            sent++;
            var answer = venue.Request(now, 2);
            if (answer.Status == 429)
            {
                rejected++;
                limiter.OnRateLimited(now, answer.RetryAfter);
            }
            else
            {
                limiter.Observe([new(RateLimitType.RequestWeight, 'M', 1, 6000, answer.Used)], now);
            }
        }

        Assert.Equal(0, venue.Bans);
        Assert.True(rejected <= 10, $"{rejected} 429s");
        Assert.True(sent > 9_000, $"{sent} requests went out"); // ~1000 per minute fit beside the other client
    }

    private sealed class CountingVenue(int limit)
    {
        private long _minute = -1;
        private int _used;
        private long _backoffUntil;

        public int Bans { get; private set; }

        public void Hidden(long now, int weight)
        {
            Roll(now);
            _used += weight;
        }

        public (int Status, int Used, TimeSpan? RetryAfter) Request(long now, int weight)
        {
            Roll(now);
            if (now < _backoffUntil)
            {
                Bans++;
                return (418, _used, TimeSpan.FromMinutes(2));
            }

            _used += weight;
            if (_used > limit)
            {
                _backoffUntil = ((now / Minute) + 1) * Minute;
                return (429, _used, TimeSpan.FromMilliseconds(_backoffUntil - now));
            }

            return (200, _used, null);
        }

        private void Roll(long now)
        {
            if (now / Minute != _minute)
            {
                _minute = now / Minute;
                _used = 0;
            }
        }
    }
}
