namespace EventLoop.Clocks;

/// <summary>A monotonic clock in <see cref="TimeSpan"/> ticks (100 ns). Injectable so that tests drive time by hand.</summary>
internal interface IClock
{
    /// <summary>Current monotonic time; never decreases.</summary>
    long GetTicks();
}
