using Trading.Live.Connection;

namespace Trading.Live.Tests.Connection;

public sealed class StreamWatchdogTests
{
    [Fact]
    public void A_stream_is_dead_after_its_allowed_silence_and_every_message_moves_the_deadline()
    {
        var w = new StreamWatchdog(TimeSpan.FromSeconds(2), tolerance: 3);
        Assert.Equal(TimeSpan.FromSeconds(6), w.AllowedSilence);
        w.Reset(1_000); // connected
        Assert.False(w.IsStale(7_000));
        Assert.True(w.IsStale(7_001));
        w.OnMessage(5_000);
        Assert.Equal(11_000, w.Deadline);
        Assert.False(w.IsStale(11_000));
        w.OnMessage(4_000); // a late timestamp never moves the deadline back
        Assert.Equal(11_000, w.Deadline);
        Assert.True(w.IsStale(11_001));
    }

    [Fact]
    public void The_floor_holds_for_fast_streams()
    {
        var w = new StreamWatchdog(TimeSpan.FromMilliseconds(100), tolerance: 3, floor: TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(5), w.AllowedSilence);
        w.Reset(0);
        Assert.False(w.IsStale(5_000));
        Assert.True(w.IsStale(5_001));
    }
}
