using Trading.Live.Connection;

namespace Trading.Live.Tests.Connection;

public sealed class ClockSampleTests
{
    [Fact]
    public void The_first_sample_is_taken_whatever_its_round_trip() =>
        Assert.True(ClockSample.Improves(0, long.MaxValue, -1_500, 2_000));

    [Theory]
    [InlineData(40, 40)]   // as tight as the one in use
    [InlineData(40, 10)]   // tighter
    [InlineData(5, 100)]   // looser, but within the always-taken bound
    public void Tight_samples_are_taken(long current, long sample) =>
        Assert.True(ClockSample.Improves(-1_500, current, -1_480, sample));

    [Fact]
    public void A_lopsided_sample_consistent_with_the_one_in_use_is_not_taken()
    {
        // In use: -1,500 ± 10 ms. The new one, from an 800 ms round trip, says -1,140 ± 400: it cannot tell the one in
        // use is wrong, and taking it would move the estimate 360 ms ahead of the venue's clock.
        Assert.False(ClockSample.Improves(-1_500, 10, -1_140, 400));
    }

    [Fact]
    public void A_loose_sample_that_contradicts_the_one_in_use_is_taken()
    {
        // The local clock jumped 20 s: -21,500 ± 400 cannot be -1,500 ± 10.
        Assert.True(ClockSample.Improves(-1_500, 10, -21_500, 400));
        // Just overlapping intervals (|Δ| = 410 = 400 + 10) do not prove it; 411 does.
        Assert.False(ClockSample.Improves(-1_500, 10, -1_910, 400));
        Assert.True(ClockSample.Improves(-1_500, 10, -1_911, 400));
    }
}
