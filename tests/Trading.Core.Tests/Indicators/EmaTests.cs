using Trading.Core.Indicators;

namespace Trading.Core.Tests.Indicators;

public sealed class EmaTests
{
    [Fact]
    public void Is_seeded_with_the_sma_of_the_first_n_then_recurses_with_alpha_two_over_n_plus_one()
    {
        var ema = new Ema(3);
        Assert.Equal(0.5, ema.Alpha);
        ema.Update(1);
        ema.Update(2);
        Assert.False(ema.IsReady);
        Assert.True(double.IsNaN(ema.Value));
        ema.Update(6);
        Assert.True(ema.IsReady);
        Assert.Equal(3, ema.Value); // (1 + 2 + 6)/3
        ema.Update(7);
        Assert.Equal(5, ema.Value); // 3 + 0.5·(7 − 3)
        ema.Update(1);
        Assert.Equal(3, ema.Value); // 5 + 0.5·(1 − 5)
    }

    [Theory]
    [InlineData(1, 11)]
    [InlineData(5, 12)]
    [InlineData(20, 13)]
    [InlineData(200, 14)]
    public void Matches_the_reference_on_a_random_walk(int period, int seed)
    {
        var x = TestData.RandomWalk(700, seed).Select(c => c.Close).ToArray();
        var expected = Reference.Ema(x, period, period - 1);
        var ema = new Ema(period);
        for (var t = 0; t < x.Length; t++)
        {
            ema.Update(x[t]);
            Assert.Equal(t >= period - 1, ema.IsReady);
            Close.Assert(expected[t], ema.Value, $"ema[{t}]");
        }
    }

    [Fact]
    public void Reset_returns_to_the_initial_state()
    {
        var ema = new Ema(4);
        foreach (var v in new[] { 5.0, 6, 7, 8, 9 })
        {
            ema.Update(v);
        }

        ema.Reset();
        Assert.Equal(0, ema.Samples);
        Assert.True(double.IsNaN(ema.Value));
        foreach (var v in new[] { 1.0, 2, 3, 4 })
        {
            ema.Update(v);
        }

        Assert.Equal(2.5, ema.Value);
    }

    [Fact]
    public void Rejects_a_period_below_one() => Assert.Throws<ArgumentOutOfRangeException>(() => new Ema(0));
}
