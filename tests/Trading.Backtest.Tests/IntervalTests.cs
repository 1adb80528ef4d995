using Trading.Backtest.Engine;
using Trading.Core.Market;

namespace Trading.Backtest.Tests;

/// <summary>The candle interval is the most common gap between candles, not the smallest.</summary>
public sealed class IntervalTests
{
    private const long H = Bars.Hour;

    private static Candle[] At(params long[] offsets) =>
        offsets.Select(o => new Candle(Bars.Start + o, 100, 100, 100, 100, 1)).ToArray();

    [Fact]
    public void One_stray_candle_in_hourly_data_does_not_halve_the_interval()
    {
        // Gaps: 1 h, 1 h, 30 min, 30 min, 1 h, 1 h: the smallest is 30 min, the most common 1 h.
        var candles = At(0, H, 2 * H, (2 * H) + (H / 2), 3 * H, 4 * H, 5 * H);
        Assert.Equal(H, BacktestEngine.Interval(candles));

        var now = new List<long>();
        var s = new ProbeStrategy { Candle = (c, i) => now.Add(c.Now) };
        var r = BacktestEngine.Run(candles, s, new BacktestOptions());
        Assert.Equal(Bars.Start + H, now[0]);     // candle 0 closes an hour after it opens
        Assert.Equal(H, r.Metrics.IntervalMs);    // and Sharpe is annualised with √(365 × 24), not √(365 × 48)
    }

    [Fact]
    public void A_tie_takes_the_smaller_gap_and_regular_or_single_candles_keep_their_rule()
    {
        Assert.Equal(H, BacktestEngine.Interval(At(0, H, 3 * H)));        // 1 h once, 2 h once
        Assert.Equal(4 * H, BacktestEngine.Interval(At(0, 4 * H, 8 * H)));
        Assert.Equal(H, BacktestEngine.Interval(At(0)));                     // one candle: an hour
    }

    [Fact]
    public void Regular_interval_is_the_one_gap_of_regular_candles_only()
    {
        Assert.Equal(4 * H, BacktestEngine.RegularInterval(At(0, 4 * H, 8 * H, 12 * H)));
        Assert.Null(BacktestEngine.RegularInterval(At(0, H, 3 * H)));   // two different gaps
        Assert.Null(BacktestEngine.RegularInterval(At(0, 0, 0)));       // no positive gap
        Assert.Null(BacktestEngine.RegularInterval(At(0)));             // no gap at all
    }

    [Fact]
    public void A_known_interval_replaces_the_engines_own_and_is_ignored_for_a_single_candle()
    {
        // The engine trusts it (it skips its pass over the candles): the clock follows the option, not the data.
        var candles = At(0, H, 2 * H);
        var now = new List<long>();
        var s = new ProbeStrategy { Candle = (c, i) => now.Add(c.Now) };
        var r = BacktestEngine.Run(candles, s, new BacktestOptions { IntervalMs = 2 * H });
        Assert.Equal(Bars.Start + (2 * H), now[0]);
        Assert.Equal(2 * H, r.Metrics.IntervalMs);

        var single = BacktestEngine.Run(At(0), new ProbeStrategy(), new BacktestOptions { IntervalMs = 2 * H });
        Assert.Equal(H, single.Metrics.IntervalMs);
        Assert.Throws<ArgumentOutOfRangeException>(() => BacktestEngine.Run(candles, new ProbeStrategy(), new BacktestOptions { IntervalMs = 0 }));
    }
}
