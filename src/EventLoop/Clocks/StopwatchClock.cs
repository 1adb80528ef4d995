using System.Diagnostics;

namespace EventLoop.Clocks;

/// <summary>The real monotonic clock (<see cref="Stopwatch"/>), in TimeSpan ticks since process start.</summary>
internal sealed class StopwatchClock : IClock
{
    public static readonly StopwatchClock Instance = new();

    public long GetTicks() => Stopwatch.GetElapsedTime(0).Ticks;
}
