using System.Diagnostics;
using Trading.Backtest.Engine;
using Trading.Backtest.Metrics;
using Trading.Core.Market;
using Trading.Optimizer.Backtesting;
using Trading.Optimizer.Objectives;
using Trading.Optimizer.Running;
using Trading.Optimizer.Search;
using Trading.Optimizer.Space;

namespace Trading.Optimizer.WalkForward;

/// <summary>
/// Runs a walk-forward analysis (see <see cref="WalkForwardPlan"/> for the windows): for each window, optimise on the
/// training candles with a fresh search, take the best kept run (by <see cref="Ranking"/>), and backtest it on the test
/// candles from a fresh account with the strategy warmed on the training candles (<see cref="WarmStart"/>).
/// Windows run one after the other, each search in parallel. Canceling stops after the current window's runs; the
/// windows completed so far are reported.
/// </summary>
public static class WalkForwardRunner
{
    public static WalkForwardReport Run(
        Candle[] candles,
        ParameterSpace space,
        Func<ParameterSpace, ISearch> searchFactory,
        Objective objective,
        int minTrades,
        BacktestOptions options,
        IReadOnlyList<WalkForwardWindow> windows,
        RunSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var results = new List<WindowResult>();
        var times = new List<long>();
        var equity = new List<double>();
        var initial = (double)options.InitialCash;
        var scale = 1.0;
        var canceled = false;
        foreach (var w in windows)
        {
            if (settings.Cancel.IsCancellationRequested)
            {
                canceled = true;
                break;
            }

            var evaluator = new BacktestEvaluator(candles.AsMemory(w.TrainStart, w.TrainLength), space.Strategy, options);
            var optimization = SearchRunner.Run(searchFactory(space), evaluator.Evaluate, r => Scoring.Score(objective, r.Metrics, minTrades), settings);
            canceled = optimization.Canceled;
            var ranked = optimization.Ranked();
            if (ranked.Count == 0)
            {
                results.Add(new WindowResult(w, optimization.Trials.Count, null, null, null, null, null, null));
                continue;
            }

            var best = ranked[0];
            var test = WarmStart.Run(candles.AsSpan(w.TrainStart, w.TrainLength + w.TestLength), w.TrainLength, space.Strategy, best.Parameters, options with { RecordEquity = true });
            for (var i = 0; i < test.Equity.Length; i++)
            {
                times.Add(test.Times[i]);
                equity.Add(test.Equity[i] * scale);
            }

            if (test.Equity.Length > 0)
            {
                scale = equity[^1] / initial;
            }

            results.Add(new WindowResult(
                w,
                optimization.Trials.Count,
                best.Parameters,
                best.Result,
                test.Metrics,
                test.OrderListHash,
                Comparable(objective, best.Result.Metrics),
                Comparable(objective, test.Metrics)));
        }

        return new WalkForwardReport
        {
            Objective = objective,
            Windows = results,
            StitchedTimes = [.. times],
            StitchedEquity = [.. equity],
            InitialCash = initial,
            Canceled = canceled,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>The value compared in and out of sample: CAGR for the return objective, else the objective's metric.</summary>
    public static double Comparable(Objective objective, BacktestMetrics m) =>
        objective == Objective.Return ? m.CagrPct : Scoring.Value(objective, m);
}
