using Trading.Core.Indicators;

namespace Trading.Core.Tests.Indicators;

public sealed class RollingStdDevTests
{
    [Fact]
    public void Population_and_sample_deviation_of_a_small_window_by_hand()
    {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − x̄)² = 32: population σ = 2, sample s = √(32/7).
        var pop = new RollingStdDev(8);
        var sample = new RollingStdDev(8, sample: true);
        foreach (var v in new[] { 2.0, 4, 4, 4, 5, 5, 7, 9 })
        {
            pop.Update(v);
            sample.Update(v);
        }

        Assert.True(pop.IsReady);
        Assert.Equal(2, pop.Value, 14);
        Assert.Equal(5, pop.Mean, 14);
        Assert.Equal(4, pop.Variance, 13);
        Assert.Equal(Math.Sqrt(32.0 / 7), sample.Value, 14);

        // Slide: drop 2, add 13 → 4, 4, 4, 5, 5, 7, 9, 13: mean 51/8, Σ(x − x̄)² = 397 − 51²/8.
        pop.Update(13);
        Assert.Equal(51.0 / 8, pop.Mean, 13);
        Assert.Equal(Math.Sqrt((397 - (51.0 * 51 / 8)) / 8), pop.Value, 13);
    }

    [Theory]
    [InlineData(2, false, 41)]
    [InlineData(20, false, 42)]
    [InlineData(20, true, 43)]
    [InlineData(97, true, 44)]
    public void Matches_the_two_pass_reference_at_a_large_mean_over_a_long_series(int period, bool sample, int seed)
    {
        // A mean of 60 000 with a spread of tens: the naive Σx² − n·x̄² would lose most digits here.
        var x = TestData.RandomWalk(6000, seed, start: 60_000, volatility: 0.0005).Select(c => c.Close).ToArray();
        var expected = Reference.StdDev(x, period, sample);
        var std = new RollingStdDev(period, sample);
        for (var t = 0; t < x.Length; t++)
        {
            std.Update(x[t]);
            Assert.Equal(t >= period - 1, std.IsReady);
            if (std.IsReady)
            {
                Close.Assert(expected[t], std.Value, $"std[{t}]");
            }
        }
    }

    [Fact]
    public void A_constant_window_has_exactly_zero_deviation_and_never_a_NaN()
    {
        var std = new RollingStdDev(5);
        for (var i = 0; i < 50; i++)
        {
            std.Update(0.1 + 60_000);
            Assert.False(double.IsNaN(std.Value));
        }

        Assert.Equal(0, std.Value);
    }

    [Fact]
    public void Before_ready_it_covers_the_samples_so_far_and_Reset_clears_it()
    {
        var std = new RollingStdDev(10, sample: true);
        Assert.True(double.IsNaN(std.Value));
        std.Update(1);
        Assert.True(double.IsNaN(std.Value)); // a sample deviation of one value is undefined
        std.Update(3);
        Assert.Equal(Math.Sqrt(2), std.Value, 14);
        Assert.False(std.IsReady);
        std.Reset();
        Assert.Equal(0, std.Samples);
        Assert.True(double.IsNaN(std.Value));
        std.Update(5);
        std.Update(9);
        Assert.Equal(Math.Sqrt(8), std.Value, 14);
    }

    [Fact]
    public void Sample_deviation_needs_a_window_of_two() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RollingStdDev(1, sample: true));
}
