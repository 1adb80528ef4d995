namespace Trading.Live.Connection;

/// <summary>
/// Decides when a stream that is still open is dead: it must deliver something at least every expected interval (a
/// kline stream pushes an update every 1–2 s, a ping every 20 s at the latest), so a silence longer than
/// <see cref="AllowedSilence"/> — the interval times a tolerance, never under a floor — means it is dead however alive
/// the socket looks, and the engine reconnects it. Pure decision on the caller's clock (ms): the engine arms one loop
/// timer for <see cref="Deadline"/>, and when it fires asks <see cref="IsStale"/>; if not stale it re-arms for the new
/// deadline (messages moved it), so there is one timer per stream and no work per message beyond a store.
/// <para>Trap: a stream that is legitimately quiet (the user-data stream, trades in a dead market) cannot be judged by
/// its messages; watch its pongs (or a periodic query's answers) instead and feed those to <see cref="OnMessage"/>.</para>
/// </summary>
public sealed class StreamWatchdog
{
    private long _last;

    /// <param name="expectedInterval">The longest gap the stream's protocol allows between two messages.</param>
    /// <param name="tolerance">How many intervals of silence are forgiven (network jitter, GC pauses).</param>
    /// <param name="floor">The least silence ever treated as death.</param>
    public StreamWatchdog(TimeSpan expectedInterval, double tolerance = 3, TimeSpan floor = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expectedInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, 1);
        AllowedSilence = TimeSpan.FromTicks(Math.Max((long)(expectedInterval.Ticks * tolerance), floor.Ticks));
    }

    public TimeSpan AllowedSilence { get; }

    /// <summary>When the stream last proved alive (ms).</summary>
    public long LastMessage => _last;

    /// <summary>When the stream is dead if nothing arrives before (ms): <see cref="LastMessage"/> + <see cref="AllowedSilence"/>.</summary>
    public long Deadline => _last + (long)AllowedSilence.TotalMilliseconds;

    /// <summary>A (re)connect: the silence is counted from here.</summary>
    public void Reset(long nowMs) => _last = nowMs;

    /// <summary>Anything arrived (a message, a pong). Never moves the clock back.</summary>
    public void OnMessage(long nowMs) => _last = Math.Max(_last, nowMs);

    /// <summary>True when nothing arrived for longer than <see cref="AllowedSilence"/>.</summary>
    public bool IsStale(long nowMs) => nowMs > Deadline;
}
