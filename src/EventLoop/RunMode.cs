namespace EventLoop;

/// <summary>How long <see cref="Loop.Run"/> runs.</summary>
public enum RunMode
{
    /// <summary>One tick that never blocks: dispatches what is ready now (ready I/O, posted completions, expired timers) and returns.</summary>
    NoWait,

    /// <summary>
    /// Ticks until at least one callback has run, blocking (per the loop's <see cref="WaitStrategy"/>) while nothing is
    /// ready. Returns at once if nothing is active, since nothing could ever become ready.
    /// </summary>
    Once,

    /// <summary>Ticks until no completion is active and nothing is queued, or until <see cref="Loop.Stop"/>.</summary>
    UntilDone,
}
