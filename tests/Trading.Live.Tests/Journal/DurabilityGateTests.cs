using Trading.Live.Journal;

namespace Trading.Live.Tests.Journal;

public sealed class DurabilityGateTests
{
    [Fact]
    public void Items_leave_in_order_and_only_once_their_position_is_durable()
    {
        var gate = new DurabilityGate<long>();
        gate.Hold(3, 101);
        gate.Hold(5, 102);
        gate.Hold(9, 103);
        Assert.False(gate.TryRelease(2, out _));
        Assert.True(gate.TryRelease(5, out var a));
        Assert.True(gate.TryRelease(5, out var b));
        Assert.False(gate.TryRelease(5, out _));
        Assert.Equal((101L, 102L, 1), (a, b, gate.Count));
        Assert.True(gate.TryRelease(100, out var c));
        Assert.Equal(103L, c);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            gate.Hold(10, 1);
            gate.Hold(4, 2);
        });
    }
}
