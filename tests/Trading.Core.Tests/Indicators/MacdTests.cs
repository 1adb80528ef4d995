using Trading.Core.Indicators;

namespace Trading.Core.Tests.Indicators;

public sealed class MacdTests
{
    [Theory]
    [InlineData(12, 26, 9, true, 31)]
    [InlineData(12, 26, 9, false, 32)]
    [InlineData(3, 10, 16, true, 33)]
    [InlineData(1, 2, 1, false, 34)]
    [InlineData(5, 35, 5, false, 35)]
    public void Matches_the_reference_on_a_random_walk(int fast, int slow, int signal, bool taLib, int seed)
    {
        var x = TestData.RandomWalk(500, seed).Select(c => c.Close).ToArray();
        var (line, sig, hist) = Reference.Macd(x, fast, slow, signal, taLib);
        var macd = new Macd(fast, slow, signal, taLib);
        for (var t = 0; t < x.Length; t++)
        {
            macd.Update(x[t]);
            Assert.Equal(!double.IsNaN(line[t]), macd.IsMacdReady);
            Assert.Equal(!double.IsNaN(sig[t]), macd.IsReady);
            Close.Assert(line[t], macd.Value, $"macd[{t}]");
            Close.Assert(sig[t], macd.Signal, $"signal[{t}]");
            Close.Assert(hist[t], macd.Histogram, $"hist[{t}]");
        }
    }

    [Fact]
    public void Default_12_26_9_is_ready_on_sample_34_as_ta_lib_lookback_33()
    {
        var macd = new Macd();
        Assert.Equal(34, macd.WarmUpPeriod);
        for (var i = 1; i <= 34; i++)
        {
            macd.Update(100 + (i % 7));
            Assert.Equal(i >= 26, macd.IsMacdReady);
            Assert.Equal(i >= 34, macd.IsReady);
            Assert.Equal(i < 34, double.IsNaN(macd.Signal));
        }
    }

    [Fact]
    public void Ta_lib_alignment_seeds_the_fast_ema_on_the_slow_ones_first_bar()
    {
        // fast 2, slow 4, signal 1: the fast seed is the mean of samples 3..4 (TA-Lib), not 1..2 then recursed.
        var taLib = new Macd(2, 4, 1);
        var tv = new Macd(2, 4, 1, taLibAlignment: false);
        foreach (var v in new[] { 1.0, 2, 3, 10 })
        {
            taLib.Update(v);
            tv.Update(v);
        }

        // slow = 4 (mean of 1, 2, 3, 10). TA-Lib fast = (3 + 10)/2 = 6.5 → 2.5.
        Assert.Equal(2.5, taLib.Value);

        // Standard: fast = 1.5 at sample 2, then α = 2/3: 1.5 + 2/3·(3 − 1.5) = 2.5, 2.5 + 2/3·(10 − 2.5) = 7.5 → 3.5.
        Assert.Equal(3.5, tv.Value, 12);

        // With signal 1 the signal is the line itself and the histogram 0.
        Assert.Equal(taLib.Value, taLib.Signal);
        Assert.Equal(0, taLib.Histogram);
    }

    [Fact]
    public void Reset_returns_to_the_initial_state()
    {
        var x = TestData.RandomWalk(80, 36).Select(c => c.Close).ToArray();
        var macd = new Macd();
        var first = x.Select(v => { macd.Update(v); return (macd.Value, macd.Signal, macd.Histogram); }).ToArray();
        macd.Reset();
        Assert.Equal(0, macd.Samples);
        Assert.False(macd.IsMacdReady);
        Assert.True(double.IsNaN(macd.Value) && double.IsNaN(macd.Signal) && double.IsNaN(macd.Histogram));
        var second = x.Select(v => { macd.Update(v); return (macd.Value, macd.Signal, macd.Histogram); }).ToArray();
        Assert.Equal(first, second);
    }

    [Fact]
    public void Rejects_a_slow_period_not_above_the_fast_one() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Macd(26, 12, 9));
}
