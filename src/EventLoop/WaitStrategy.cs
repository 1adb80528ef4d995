namespace EventLoop;

/// <summary>How the loop thread waits when nothing is ready (Disruptor-style wait strategies).</summary>
public enum WaitStrategy
{
    /// <summary>
    /// Default. The thread sleeps on a real wake-up signal (set by producers, <see cref="Loop.Stop"/>) with a timeout
    /// equal to the time left until the nearest timer deadline. Cheapest on CPU; a wake-up costs a kernel round trip,
    /// and timers fire up to the OS timer granularity (about 1 ms) late.
    /// </summary>
    Blocking,

    /// <summary>Spins for <see cref="LoopOptions.SpinDuration"/> watching the queue and the clock, then blocks as <see cref="Blocking"/>.</summary>
    SpinThenBlock,

    /// <summary>Never blocks: spins watching the queue and the clock. Lowest latency; burns a whole core while idle.</summary>
    BusySpin,
}
