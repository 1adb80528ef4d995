using Trading.Core.Indicators;
using Trading.Core.Market;

namespace Trading.Core.Tests.Indicators;

public sealed class AtrTests
{
    [Fact]
    public void True_range_uses_the_previous_close_and_the_first_bar_has_none()
    {
        var atr = new Atr(2);
        Assert.Equal(3, atr.WarmUpPeriod);
        atr.Update(high: 10, low: 8, close: 9);
        Assert.True(double.IsNaN(atr.TrueRange));
        Assert.False(atr.IsReady);

        atr.Update(high: 12, low: 11, close: 11.5); // gap up: |12 − 9| = 3 beats 12 − 11
        Assert.Equal(3, atr.TrueRange);
        Assert.False(atr.IsReady);

        atr.Update(high: 11, low: 7, close: 8);     // 11 − 7 = 4 beats |7 − 11.5| = 4.5? no: 4.5 wins
        Assert.Equal(4.5, atr.TrueRange);
        Assert.True(atr.IsReady);
        Assert.Equal(3.75, atr.Value);              // mean of the first two TRs

        atr.Update(high: 9, low: 8.5, close: 9);    // TR = max(0.5, 1, 0.5) = 1; Wilder: (3.75·1 + 1)/2
        Assert.Equal(1, atr.TrueRange);
        Assert.Equal(2.375, atr.Value);
    }

    [Theory]
    [InlineData(1, 61)]
    [InlineData(14, 62)]
    [InlineData(30, 63)]
    public void Matches_the_reference_on_a_random_walk(int period, int seed)
    {
        var candles = TestData.RandomWalk(600, seed, volatility: 0.03);
        var h = candles.Select(c => c.High).ToArray();
        var l = candles.Select(c => c.Low).ToArray();
        var c = candles.Select(c => c.Close).ToArray();
        var expected = Reference.Atr(h, l, c, period);
        var atr = new Atr(period);
        for (var t = 0; t < candles.Length; t++)
        {
            atr.Update(candles[t]);
            Assert.Equal(t >= period, atr.IsReady);
            Close.Assert(expected[t], atr.Value, $"atr[{t}]");
        }
    }

    [Fact]
    public void Reset_returns_to_the_initial_state()
    {
        var candles = TestData.RandomWalk(40, 64);
        var atr = new Atr(5);
        var first = candles.Select(c => { atr.Update(c); return atr.Value; }).ToArray();
        atr.Reset();
        Assert.Equal(0, atr.Samples);
        Assert.True(double.IsNaN(atr.Value) && double.IsNaN(atr.TrueRange));
        var second = candles.Select(c => { atr.Update(c); return atr.Value; }).ToArray();
        Assert.Equal(first, second);
    }

    [Fact]
    public void Candle_and_high_low_close_overloads_agree()
    {
        var a = new Atr(3);
        var b = new Atr(3);
        foreach (var c in TestData.RandomWalk(20, 65))
        {
            a.Update(c);
            b.Update(c.High, c.Low, c.Close);
        }

        Assert.Equal(a.Value, b.Value);
    }
}
