using Trading.Core.Indicators;

namespace Trading.Core.Tests.Indicators;

public sealed class StochasticTests
{
    [Fact]
    public void K_and_D_by_hand()
    {
        // n = 3, m = 2, no slowing. Bars (h, l, c):
        var stoch = new Stochastic(3, 2);
        Assert.Equal(4, stoch.WarmUpPeriod);
        stoch.Update(10, 8, 9);
        stoch.Update(12, 9, 11);
        Assert.False(stoch.IsKReady);
        Assert.True(double.IsNaN(stoch.K));

        stoch.Update(11, 7, 10);   // HH 12, LL 7: 100·(10 − 7)/5 = 60
        Assert.True(stoch.IsKReady);
        Assert.False(stoch.IsReady);
        Assert.Equal(60, stoch.K, 12);
        Assert.True(double.IsNaN(stoch.D));

        stoch.Update(13, 10, 12);  // window bars 2..4: HH 13, LL 7: 100·5/6
        Assert.True(stoch.IsReady);
        Assert.Equal(500.0 / 6, stoch.K, 12);
        Assert.Equal((60 + (500.0 / 6)) / 2, stoch.D, 12);

        stoch.Update(9, 8.5, 8.5); // bar 2 (h 12) and bar 3's low 7 still in: bars 3..5: HH 13, LL 7: 100·1.5/6 = 25
        Assert.Equal(25, stoch.K, 12);
        stoch.Update(9, 8.5, 9);   // bars 4..6: HH 13, LL 8.5: 100·0.5/4.5
        Assert.Equal(100 * 0.5 / 4.5, stoch.K, 12);
    }

    [Fact]
    public void A_flat_window_reads_zero_as_ta_lib_does()
    {
        var stoch = new Stochastic(3, 1);
        for (var i = 0; i < 5; i++)
        {
            stoch.Update(5, 5, 5);
        }

        Assert.Equal(0, stoch.K);
        Assert.Equal(0, stoch.D);
    }

    [Theory]
    [InlineData(14, 3, 1, 71)]
    [InlineData(14, 3, 3, 72)]
    [InlineData(1, 1, 1, 73)]
    [InlineData(5, 4, 2, 74)]
    [InlineData(50, 3, 3, 75)]
    public void Matches_the_reference_on_a_random_walk(int n, int m, int s, int seed)
    {
        var candles = TestData.RandomWalk(800, seed, volatility: 0.02);
        var (k, d) = Reference.Stochastic(
            candles.Select(c => c.High).ToArray(), candles.Select(c => c.Low).ToArray(), candles.Select(c => c.Close).ToArray(), n, m, s);
        var stoch = new Stochastic(n, m, s);
        for (var t = 0; t < candles.Length; t++)
        {
            stoch.Update(candles[t]);
            Assert.Equal(!double.IsNaN(k[t]), stoch.IsKReady);
            Assert.Equal(!double.IsNaN(d[t]), stoch.IsReady);
            Close.Assert(k[t], stoch.K, $"k[{t}]");
            Close.Assert(d[t], stoch.D, $"d[{t}]");
        }
    }

    [Fact]
    public void Reset_returns_to_the_initial_state()
    {
        var candles = TestData.RandomWalk(60, 76);
        var stoch = new Stochastic(5, 3, 2);
        var first = candles.Select(c => { stoch.Update(c); return (stoch.K, stoch.D); }).ToArray();
        stoch.Reset();
        Assert.Equal(0, stoch.Samples);
        Assert.True(double.IsNaN(stoch.K) && double.IsNaN(stoch.D) && double.IsNaN(stoch.RawK));
        var second = candles.Select(c => { stoch.Update(c); return (stoch.K, stoch.D); }).ToArray();
        Assert.Equal(first, second);
    }
}
