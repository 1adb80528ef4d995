using System.Text;
using Trading.Backtest.Engine;
using Trading.Backtest.Metrics;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;
using Trading.Optimizer.Backtesting;
using Trading.Optimizer.Objectives;
using Trading.Optimizer.Output;
using Trading.Optimizer.Running;
using Trading.Optimizer.Search;
using Trading.Optimizer.Space;

namespace Trading.Optimizer.Tests;

/// <summary>Sweeps of real backtests (sma-cross) over the shipped BTCUSDT 1h 2024 data.</summary>
public sealed class BacktestSweepTests
{
    private static readonly BacktestEvaluator Evaluator = new(SampleData.Candles, SmaCross.Descriptor, new BacktestOptions());

    private static ParameterSpace IssueSpace() => ParameterSpaceTests.Space(["fast=5:50:5", "slow=20:200:10"], ["fast < slow"]);

    private static OptimizationResult<RunMetrics> Sweep(ISearch search, int threads, Objective objective = Objective.Sharpe, int minTrades = 0) =>
        SearchRunner.Run(search, Evaluator.Evaluate, r => Scoring.Score(objective, r.Metrics, minTrades), new RunSettings { Threads = threads });

    private static ISearch Make(string kind) => kind switch
    {
        "grid" => new GridSearch(IssueSpace()),
        "random" => new RandomSearch(IssueSpace(), 40, 11),
        _ => new TpeSearch(IssueSpace(), new TpeSettings { Trials = 40, Seed = 11, BatchSize = 8 }),
    };

    [Theory]
    [InlineData("grid")]
    [InlineData("random")]
    [InlineData("tpe")]
    public void Identical_rows_for_1_2_and_7_threads(string kind)
    {
        var one = Sweep(Make(kind), 1);
        var csv = Csv(one);
        foreach (var threads in new[] { 2, 7 })
        {
            var many = Sweep(Make(kind), threads);
            Assert.Equal(one.Trials.Count, many.Trials.Count);
            for (var i = 0; i < one.Trials.Count; i++)
            {
                Assert.Equal(one.Trials[i].Index, many.Trials[i].Index);
                Assert.Equal(one.Trials[i].Parameters, many.Trials[i].Parameters);
                Assert.Equal(one.Trials[i].Result, many.Trials[i].Result); // record equality: every metric and the hash
                Assert.Equal(one.Trials[i].Score, many.Trials[i].Score);
            }

            Assert.Equal(csv, Csv(many));
        }
    }

    [Fact]
    public void Best_row_reruns_through_the_engine_to_the_same_metrics_and_order_list_hash()
    {
        var result = Sweep(new GridSearch(IssueSpace()), 2);
        Assert.Equal(174, result.Trials.Count);
        var best = result.Ranked()[0];
        Assert.True(best.Result.Metrics.Trades > 0);

        // A plain backtest with every default (equity recorded), as `quant backtest --param ...` runs it.
        var rerun = BacktestEngine.Run(SampleData.Candles, SmaCross.Descriptor, best.Parameters, new BacktestOptions());
        Assert.Equal(best.Result.Metrics, rerun.Metrics);
        Assert.Equal(best.Result.OrderListHash, rerun.OrderListHash);
        Assert.Equal(best.Score, rerun.Metrics.Sharpe);

        // And it really is the best: no other row has a higher Sharpe.
        Assert.All(result.Trials, t => Assert.True(t.Result.Metrics.Sharpe <= best.Result.Metrics.Sharpe));
    }

    [Fact]
    public void Min_trades_discards_runs_and_objectives_rank_as_documented()
    {
        var all = Sweep(new GridSearch(IssueSpace()), 2, Objective.MaxDrawdown);
        var least = all.Trials.Min(t => t.Result.Metrics.MaxDrawdownPct);
        Assert.Equal(least, all.Ranked()[0].Result.Metrics.MaxDrawdownPct);
        Assert.Equal(-least, all.Ranked()[0].Score);

        var threshold = (int)all.Trials.Select(t => t.Result.Metrics.Trades).Order().ElementAt(87); // the median trade count
        var filtered = Sweep(new GridSearch(IssueSpace()), 2, Objective.Return, threshold);
        Assert.Equal(174, filtered.Trials.Count);
        var kept = filtered.Trials.Count(t => t.Result.Metrics.Trades >= threshold);
        Assert.Equal(kept, filtered.Ranked().Count);
        Assert.True(kept < 174);
        Assert.All(filtered.Ranked(), t => Assert.True(t.Result.Metrics.Trades >= threshold));
        Assert.Equal(filtered.Ranked().Max(t => t.Result.Metrics.TotalReturnPct), filtered.Ranked()[0].Score);
    }

    [Fact]
    public void Scores_map_the_right_metric()
    {
        var m = new BacktestMetrics { Sharpe = 1, Sortino = 2, Calmar = 3, TotalReturnPct = 4, ProfitFactor = 5, MaxDrawdownPct = 6, WinRatePct = 7, Trades = 3 };
        Assert.Equal([1.0, 2, 3, 4, 5, -6, 7], Enum.GetValues<Objective>().Select(o => Scoring.Score(o, m)));
        Assert.Null(Scoring.Score(Objective.Sharpe, m, minTrades: 4));
        Assert.Equal(1, Scoring.Score(Objective.Sharpe, m, minTrades: 3));
        Assert.Equal(Objective.ProfitFactor, Scoring.Parse("profit-factor"));
        Assert.Contains("known: sharpe, sortino", Assert.Throws<OptimizerException>(() => Scoring.Parse("sharp")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_csv_has_one_row_per_run_in_index_order()
    {
        var result = Sweep(new RandomSearch(IssueSpace(), 5, 2), 2);
        var lines = Csv(result).TrimEnd('\n').Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("index,fast,qty,size,slow,score,kept,trades,open_trades,final_equity,total_return_pct,", lines[0], StringComparison.Ordinal);
        for (var i = 0; i < 5; i++)
        {
            var t = result.Trials[i];
            var fields = lines[i + 1].Split(',');
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[0]);
            Assert.Equal(t.Parameters.Get("fast"), double.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(t.Result.Metrics.Sharpe, double.Parse(fields[5], System.Globalization.CultureInfo.InvariantCulture)); // R format round-trips
            Assert.Equal(t.Result.OrderListHash, fields[^1]);
        }
    }

    private static string Csv(OptimizationResult<RunMetrics> r)
    {
        var sb = new StringBuilder();
        using (var w = new StringWriter(sb))
        {
            ResultsCsv.Write(w, r.Trials);
        }

        return sb.ToString();
    }
}
