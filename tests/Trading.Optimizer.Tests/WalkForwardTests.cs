using Trading.Backtest.Engine;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;
using Trading.Optimizer.Backtesting;
using Trading.Optimizer.Objectives;
using Trading.Optimizer.Running;
using Trading.Optimizer.Search;
using Trading.Optimizer.WalkForward;

namespace Trading.Optimizer.Tests;

public sealed class WalkForwardTests
{
    [Fact]
    public void Plan_worked_by_hand()
    {
        // N = 1000, K = 3, r = 0.7: r/(1−r) = 7/3; T = ⌊1000 / (3 + 7/3)⌋ = ⌊187.5⌋ = 187; L = round(187·7/3) = round(436.33) = 436;
        // L + 3T = 997, so the first 3 candles are dropped.
        var w = WalkForwardPlan.Create(1000, 3, 0.7);
        Assert.Equal(
            [new WalkForwardWindow(0, 3, 436, 439, 187), new WalkForwardWindow(1, 190, 436, 626, 187), new WalkForwardWindow(2, 377, 436, 813, 187)],
            w);
        Assert.Equal(1000, w[^1].TestEnd);
    }

    [Theory]
    [InlineData(1000, 0, 0.7, "--walk-forward needs at least 1 window")]
    [InlineData(1000, 3, 1.0, "--train-ratio must be between 0 and 1")]
    [InlineData(1000, 3, 0, "--train-ratio must be between 0 and 1")]
    [InlineData(100, 20, 0.7, "at least 10 each are needed")]
    public void Bad_plans_are_one_line_errors(int candles, int k, double ratio, string expected) =>
        Assert.Contains(expected, Assert.Throws<OptimizerException>(() => WalkForwardPlan.Create(candles, k, ratio)).Message, StringComparison.Ordinal);

    [Fact]
    public void Warm_start_with_no_warmup_is_a_plain_backtest()
    {
        var p = ParameterSet.From(("fast", 10), ("slow", 30));
        var candles = SampleData.Candles.AsSpan(0, 2000);
        var plain = BacktestEngine.Run(candles, SmaCross.Descriptor, p, new BacktestOptions());
        var warm = WarmStart.Run(candles, 0, SmaCross.Descriptor, p, new BacktestOptions());
        Assert.Equal(plain.Metrics, warm.Metrics);
        Assert.Equal(plain.OrderListHash, warm.OrderListHash);
    }

    [Fact]
    public void Warm_start_lets_the_strategy_act_from_the_first_test_candle()
    {
        // slow = 200: cold, sma-cross can signal no earlier than its 201st candle. Start the test 50 candles before an
        // entry of the continuous run (long-only, so it was flat then): warmed up, the strategy takes that same entry.
        var p = ParameterSet.From(("fast", 20), ("slow", 200));
        var options = new BacktestOptions();
        var all = SampleData.Candles;
        var continuous = BacktestEngine.Run(all, SmaCross.Descriptor, p, options);
        var entry = continuous.Fills.First(f => f.Side == Trading.Core.Orders.OrderSide.Buy && f.Time > all[1000].OpenTime);
        var entryIndex = Array.FindIndex(all, c => c.OpenTime == entry.Time);
        var start = entryIndex - 50;

        var cold = BacktestEngine.Run(all.AsSpan(start, 1500), SmaCross.Descriptor, p, options);
        var warm = WarmStart.Run(all.AsSpan(0, start + 1500), start, SmaCross.Descriptor, p, options);
        Assert.True(cold.Fills[0].Time >= all[start + 200].OpenTime);
        Assert.Equal(entry.Time, warm.Fills[0].Time);
        Assert.Equal(1500, warm.Metrics.Candles);
        Assert.Equal(all[start].OpenTime, warm.Metrics.Start);
        Assert.Equal(10_000, warm.Equity[0], 6); // a fresh, flat account: nothing filled on warm-up candles

        // From there on the warmed run trades exactly when and how the continuous run does (sizes differ: its equity does).
        var end = all[start + 1499].OpenTime;
        Assert.Equal(
            continuous.Fills.Where(f => f.Time >= entry.Time && f.Time <= end).Select(f => (f.Time, f.Side)),
            warm.Fills.Select(f => (f.Time, f.Side)));
    }

    [Fact]
    public void Walk_forward_reports_in_and_out_of_sample_and_stitches_the_test_equity()
    {
        var space = ParameterSpaceTests.Space(["fast=5:30:5", "slow=40:120:20"], ["fast < slow"]);
        var options = new BacktestOptions();
        var windows = WalkForwardPlan.Create(SampleData.Candles.Length, 3, 0.7);
        var report = WalkForwardRunner.Run(SampleData.Candles, space, s => new GridSearch(s), Objective.Sharpe, 0, options, windows, new RunSettings { Threads = 2 });

        Assert.Equal(3, report.Windows.Count);
        Assert.Equal(3 * 30, report.Runs);
        Assert.Equal(3 * windows[0].TestLength, report.StitchedEquity.Length);
        var scale = 1.0;
        var at = 0;
        var isValues = new List<double>();
        var oosValues = new List<double>();
        foreach (var r in report.Windows)
        {
            // The winner is the best in-sample run of its window...
            var inSample = new BacktestEvaluator(SampleData.Candles.AsMemory(r.Window.TrainStart, r.Window.TrainLength), SmaCross.Descriptor, options);
            var grid = SearchRunner.Run(new GridSearch(space), inSample.Evaluate, m => m.Metrics.Sharpe, new RunSettings { Threads = 1 });
            Assert.Equal(grid.Ranked()[0].Parameters, r.Best);
            Assert.Equal(grid.Ranked()[0].Result, r.InSample);

            // ...and its out-of-sample result is the warm-started test backtest.
            var test = WarmStart.Run(SampleData.Candles.AsSpan(r.Window.TrainStart, r.Window.TrainLength + r.Window.TestLength), r.Window.TrainLength, SmaCross.Descriptor, r.Best!, options);
            Assert.Equal(test.Metrics, r.OutOfSample);
            Assert.Equal(r.InSample!.Metrics.Sharpe, r.InSampleValue);
            Assert.Equal(test.Metrics.Sharpe, r.OutOfSampleValue);
            isValues.Add(r.InSampleValue!.Value);
            oosValues.Add(r.OutOfSampleValue!.Value);

            for (var i = 0; i < test.Equity.Length; i++)
            {
                Assert.Equal(test.Equity[i] * scale, report.StitchedEquity[at + i], 9);
                Assert.Equal(test.Times[i], report.StitchedTimes[at + i]);
            }

            at += test.Equity.Length;
            scale = test.Equity[^1] * scale / 10_000;
        }

        Assert.Equal(oosValues.Average() / isValues.Average(), report.OverfittingRatio!.Value, 12);
        Assert.Equal(((report.StitchedEquity[^1] / 10_000) - 1) * 100, report.StitchedReturnPct, 12);
        Assert.Equal((scale - 1) * 100, report.StitchedReturnPct, 9);
    }

    [Fact]
    public void Return_objective_compares_annualised_returns()
    {
        var m = new Trading.Backtest.Metrics.BacktestMetrics { TotalReturnPct = 30, CagrPct = 12, Sharpe = 2 };
        Assert.Equal(12, WalkForwardRunner.Comparable(Objective.Return, m));
        Assert.Equal(2, WalkForwardRunner.Comparable(Objective.Sharpe, m));
    }
}
