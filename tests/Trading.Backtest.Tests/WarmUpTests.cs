using Trading.Backtest.Engine;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Tests;

/// <summary>
/// The declared warm-up: the first candles reach the strategy with orders refused and, by default, count in no
/// statistic. Six hourly candles, a warm-up of two, a buy of 10 submitted on candle 2 (the first tradable one) that
/// fills at candle 3's open, 104: cash 10 000 − 1 040 − 1.04 fee = 8 958.96; equity at the closes of candles 2..5 is
/// 10 000, 10 008.96, 10 018.96, 10 058.96.
/// </summary>
public sealed class WarmUpTests
{
    private static readonly (double, double, double, double)[] SixBars =
    [
        (100, 101, 99, 100),
        (100, 102, 99, 101),
        (101, 103, 100, 102),
        (104, 106, 103, 105),
        (105, 107, 104, 106),
        (106, 108, 105, 110),
    ];

    private static ProbeStrategy Buyer() => new()
    {
        Candle = (c, i) =>
        {
            if (i is 0 or 2)
            {
                c.Submit(OrderRequest.Market(OrderSide.Buy, 10));
            }
        },
    };

    private static StrategyDescriptor Declaring(ProbeStrategy s) =>
        new("probe", "test", [ParameterSpec.Int("w", 2, 0, 10, 1, "warm-up")], _ => s, p => p.GetInt("w"));

    [Fact]
    public void Warm_up_candles_refuse_orders_and_stay_out_of_every_statistic()
    {
        var s = Buyer();
        var r = BacktestEngine.Run(Bars.Hourly(SixBars), Declaring(s), ParameterSet.Empty, new BacktestOptions { Instrument = Bars.Test });

        Assert.Equal([true, true, false, false, false, false], s.WarmingUp);
        var rejected = Assert.Single(r.RejectedOrders);
        Assert.Equal("warming up: orders are refused during the first 2 candles", rejected.Reason);
        Assert.Equal((104m, 10m), (Assert.Single(r.Fills).Price, r.Fills[0].Quantity));

        var m = r.Metrics;
        Assert.Equal(6, m.Candles);
        Assert.Equal(2, m.WarmUpCandles);
        Assert.Equal(4, m.StatsCandles);
        Assert.Equal(Bars.Start + (2 * Bars.Hour), m.Start);           // the CAGR period starts at candle 2
        var cagr = (Math.Pow(10_058.96 / 10_000, 365 * 24 / 4.0) - 1) * 100;    // 4 hours, candle 2's open to the last close
        Assert.Equal(cagr, m.CagrPct, cagr * 1e-12);
        Assert.Equal((110.0 / 101 - 1) * 100, m.BuyHoldReturnPct, 12);  // from candle 2's open
        Assert.Equal(75, m.ExposurePct, 12);                            // 3 of 4 closes with a position
        double[] curve = [10_000, 10_000, 10_008.96, 10_018.96, 10_058.96];
        AssertSharpe(curve, m.Sharpe);
        Assert.Equal(10_058.96m, r.FinalEquity);
        Assert.Equal(6, r.Equity.Length); // the recorded curve still has every candle
    }

    [Fact]
    public void Warm_up_in_stats_counts_every_candle_as_before()
    {
        var s = Buyer();
        var r = BacktestEngine.Run(Bars.Hourly(SixBars), Declaring(s), ParameterSet.Empty, new BacktestOptions { Instrument = Bars.Test, WarmUpInStats = true });

        var m = r.Metrics;
        Assert.Equal((6, 2, 6), (m.Candles, m.WarmUpCandles, m.StatsCandles));
        Assert.Equal(Bars.Start, m.Start);
        Assert.Equal(10, m.BuyHoldReturnPct, 12); // 110 / 100
        Assert.Equal(50, m.ExposurePct, 12);      // 3 of 6
        AssertSharpe([10_000, 10_000, 10_000, 10_000, 10_008.96, 10_018.96, 10_058.96], m.Sharpe);
        Assert.Single(r.RejectedOrders);          // orders are still refused while warming up
    }

    [Fact]
    public void Warm_up_comes_from_the_parameters_and_an_explicit_count_overrides_it()
    {
        var d = Declaring(Buyer());
        Assert.Equal(2, d.WarmUpCandles(ParameterSet.Empty));
        Assert.Equal(5, d.WarmUpCandles(ParameterSet.From(("w", 5))));
        Assert.Throws<StrategyParameterException>(() => d.WarmUpCandles(ParameterSet.From(("w", 11))));

        var s = Buyer();
        var r = BacktestEngine.Run(Bars.Hourly(SixBars), Declaring(s), ParameterSet.Empty, new BacktestOptions { Instrument = Bars.Test, WarmUpCandles = 0 });
        Assert.Equal([100m, 104m], r.Fills.Select(f => f.Price)); // both buys go through without a warm-up
    }

    [Fact]
    public void A_warm_up_as_long_as_the_data_leaves_empty_statistics()
    {
        var s = Buyer();
        var r = BacktestEngine.Run(Bars.Hourly(SixBars), Declaring(s), ParameterSet.From(("w", 10)), new BacktestOptions { Instrument = Bars.Test });
        Assert.Equal((6, 6, 0), (r.Metrics.Candles, r.Metrics.WarmUpCandles, r.Metrics.StatsCandles));
        Assert.Empty(r.Fills);
        Assert.Equal(0, r.Metrics.Sharpe);
        Assert.Equal(0, r.Metrics.TotalReturnPct);
    }

    [Fact]
    public void Built_in_strategies_declare_the_candles_their_indicators_need()
    {
        var registry = StrategyRegistry.CreateDefault();
        Assert.Equal(30, registry.Get("sma-cross").WarmUpCandles(ParameterSet.Empty));                         // slow
        Assert.Equal(40, registry.Get("sma-cross").WarmUpCandles(ParameterSet.From(("fast", 40), ("slow", 20)))); // the larger
        Assert.Equal(14, registry.Get("rsi-reversion").WarmUpCandles(ParameterSet.Empty));                     // period
        Assert.Equal(19, registry.Get("bollinger-breakout").WarmUpCandles(ParameterSet.Empty));                // period − 1
    }

    [Fact]
    public void The_sma_cross_warm_up_is_exactly_the_history_its_first_signal_needs()
    {
        // With history in front, the declared warm-up lets the strategy act on the first tradable candle: a run that
        // starts `warm-up` candles before a candle where sma-cross signals trades on that candle.
        var d = StrategyRegistry.CreateDefault().Get("sma-cross");
        var full = BacktestEngine.Run(SampleData.Candles, d, ParameterSet.Empty, new BacktestOptions { WarmUpCandles = 0 });
        var entry = full.Fills[0];
        var signal = Array.FindIndex(SampleData.Candles, c => c.OpenTime == entry.Time) - 1;
        var from = signal - 30;

        var exact = BacktestEngine.Run(SampleData.Candles.AsSpan(from), d, ParameterSet.Empty, new BacktestOptions());
        Assert.Equal(entry.Time, exact.Fills[0].Time);
        var short1 = BacktestEngine.Run(SampleData.Candles.AsSpan(from + 1), d, ParameterSet.Empty, new BacktestOptions { WarmUpCandles = 29 });
        Assert.NotEqual(entry.Time, short1.Fills[0].Time); // one candle of history too few: the SMA is not ready in time
    }

    /// <summary>Sharpe of the given equity curve (initial cash first), worked out from its definition.</summary>
    private static void AssertSharpe(double[] curve, double actual)
    {
        var r = curve.Zip(curve.Skip(1), (a, b) => (b / a) - 1).ToArray();
        var mean = r.Average();
        var std = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / (r.Length - 1));
        Assert.Equal(mean / std * Math.Sqrt(365 * 24), actual, 9);
    }
}
