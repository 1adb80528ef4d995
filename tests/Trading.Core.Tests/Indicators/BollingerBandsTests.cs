using Trading.Core.Indicators;

namespace Trading.Core.Tests.Indicators;

public sealed class BollingerBandsTests
{
    [Fact]
    public void Bands_by_hand_use_the_population_deviation()
    {
        // 2, 4, 4, 4, 5, 5, 7, 9 with n = 8, k = 2: middle 5, σ = 2 (population), bands 1 and 9.
        var bb = new BollingerBands(8, 2);
        foreach (var v in new[] { 2.0, 4, 4, 4, 5, 5, 7 })
        {
            bb.Update(v);
            Assert.False(bb.IsReady);
            Assert.True(double.IsNaN(bb.Upper));
        }

        bb.Update(9);
        Assert.True(bb.IsReady);
        Assert.Equal(5, bb.Middle, 13);
        Assert.Equal(5, bb.Value, 13);
        Assert.Equal(2, bb.StdDev, 13);
        Assert.Equal(9, bb.Upper, 13);
        Assert.Equal(1, bb.Lower, 13);
    }

    [Theory]
    [InlineData(20, 2.0, 51)]
    [InlineData(5, 1.5, 52)]
    [InlineData(1, 2.0, 53)]
    public void Matches_the_reference_on_a_random_walk(int period, double k, int seed)
    {
        var x = TestData.RandomWalk(800, seed, start: 40_000).Select(c => c.Close).ToArray();
        var mid = Reference.Sma(x, period);
        var sd = Reference.StdDev(x, period, sample: false);
        var bb = new BollingerBands(period, k);
        for (var t = 0; t < x.Length; t++)
        {
            bb.Update(x[t]);
            Assert.Equal(t >= period - 1, bb.IsReady);
            Close.Assert(mid[t], bb.Middle, $"middle[{t}]");
            Close.Assert(mid[t] + (k * sd[t]), bb.Upper, $"upper[{t}]");
            Close.Assert(mid[t] - (k * sd[t]), bb.Lower, $"lower[{t}]");
        }
    }

    [Fact]
    public void Reset_returns_to_the_initial_state()
    {
        var bb = new BollingerBands(3, 1);
        foreach (var v in new[] { 10.0, 20, 30, 40 })
        {
            bb.Update(v);
        }

        bb.Reset();
        Assert.Equal(0, bb.Samples);
        Assert.True(double.IsNaN(bb.Middle));
        foreach (var v in new[] { 1.0, 2, 3 })
        {
            bb.Update(v);
        }

        Assert.Equal(2, bb.Middle, 14);
        Assert.Equal(2 + Math.Sqrt(2.0 / 3), bb.Upper, 14);
    }

    [Fact]
    public void Rejects_a_negative_width() => Assert.Throws<ArgumentOutOfRangeException>(() => new BollingerBands(20, -1));
}
