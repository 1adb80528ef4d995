using EventLoop.Clocks;

namespace EventLoop.Tests;

/// <summary>A manual clock that also runs a hook on every read: lets a test act from inside <see cref="Loop.Run"/> (the loop reads its clock in every tick that has a timer armed or uses Now) without being a callback.</summary>
internal sealed class HookClock : IClock
{
    public long Ticks { get; set; } = TimeSpan.FromSeconds(100).Ticks;

    public Action? OnRead { get; set; }

    public long GetTicks()
    {
        OnRead?.Invoke();
        return Ticks;
    }
}
