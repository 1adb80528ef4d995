using EventLoop.Clocks;

namespace EventLoop.Tests;

/// <summary>A clock the test moves by hand: time only passes when the test says so.</summary>
internal sealed class ManualClock : IClock
{
    public long Ticks { get; set; } = TimeSpan.FromSeconds(100).Ticks;

    public long GetTicks() => Ticks;

    public void Advance(TimeSpan by) => Ticks += by.Ticks;
}
