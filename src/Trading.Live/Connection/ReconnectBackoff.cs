namespace Trading.Live.Connection;

/// <summary>
/// Capped exponential backoff with jitter for reconnects: the n-th consecutive failure waits
/// <c>min(Max, Initial × 2^n)</c>, shortened by a random fraction of at most <see cref="Jitter"/> so that many clients
/// cut off together do not come back together. The random source is seeded: the same seed gives the same delays.
/// <para>A flapping connection must not reset the sequence: <see cref="OnConnected"/> / <see cref="OnDisconnected"/>
/// restart from <see cref="Initial"/> only when the connection stayed up for <see cref="StableAfter"/>, so a venue
/// that accepts and drops at once still sees growing gaps (and a reconnect storm cannot earn a ban) — or when the
/// connection had proved itself (<see cref="OnProved"/>: its subscriptions confirmed) and then ended routinely, closed
/// by the venue with a close frame (its lifetime, a planned shutdown): the venue ended a working connection on purpose,
/// which is no flap, and the next one is due after <see cref="Initial"/>. Times are ms from the caller's clock (the
/// loop's, or a test's). Not thread-safe: one connection, one thread.</para>
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly Random _random;
    private long _connectedAt = -1;
    private bool _proved;

    public ReconnectBackoff(TimeSpan initial, TimeSpan max, TimeSpan stableAfter, double jitter = 0.5, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        ArgumentOutOfRangeException.ThrowIfNegative(jitter);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, 1);
        Initial = initial;
        Max = max;
        StableAfter = stableAfter;
        Jitter = jitter;
        _random = new Random(seed);
    }

    public TimeSpan Initial { get; }

    public TimeSpan Max { get; }

    public TimeSpan StableAfter { get; }

    public double Jitter { get; }

    /// <summary>Consecutive failed (or unstable) attempts so far.</summary>
    public int Attempt { get; private set; }

    /// <summary>How long to wait before the next attempt; counts the attempt.</summary>
    public TimeSpan NextDelay()
    {
        var ceiling = Ceiling(Attempt);
        Attempt++;
        var cut = Jitter * _random.NextDouble();
        return TimeSpan.FromTicks(Math.Max(1, (long)(ceiling.Ticks * (1 - cut))));
    }

    /// <summary>The connection is up (after the handshake and, for streams, the first message or subscription answer).</summary>
    public void OnConnected(long nowMs)
    {
        _connectedAt = nowMs;
        _proved = false;
    }

    /// <summary>The connection did what it is for (the user data subscription answered, the market subscriptions
    /// verified): a routine end after this restarts the sequence.</summary>
    public void OnProved() => _proved = _connectedAt >= 0;

    /// <summary>The connection ended: the sequence restarts if it had been up for <see cref="StableAfter"/>, or if it had
    /// proved itself and the end was <paramref name="routine"/> (the venue's close frame, a planned shutdown; not an
    /// abrupt drop or a watchdog's abort).</summary>
    public void OnDisconnected(long nowMs, bool routine = false)
    {
        if ((_connectedAt >= 0 && nowMs - _connectedAt >= (long)StableAfter.TotalMilliseconds) || (routine && _proved))
        {
            Attempt = 0;
        }

        _connectedAt = -1;
        _proved = false;
    }

    /// <summary>The cap before jitter for attempt <paramref name="attempt"/>: <c>min(Max, Initial × 2^attempt)</c>.</summary>
    public TimeSpan Ceiling(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var ticks = Initial.Ticks * Math.Pow(2, Math.Min(attempt, 62));
        return ticks >= Max.Ticks ? Max : TimeSpan.FromTicks((long)ticks);
    }
}
