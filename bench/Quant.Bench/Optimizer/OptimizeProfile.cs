using System.Diagnostics;
using Trading.Backtest.Engine;
using Trading.Core.Market;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;
using Trading.Optimizer.Backtesting;

namespace Quant.Bench.Optimizer;

/// <summary>
/// Where an optimizer run's CPU time goes, by difference: the sweep's points replayed on one thread four ways, each
/// doing a little less than the one before — the evaluator's row; the engine's summary of the same sma-cross run (the
/// evaluator's own work left out: completing the set, the warm-up, the row); the same replay with the two averages
/// updated and compared but no order ever sent (<see cref="SmaIndicatorsOnly"/>); and with a strategy that does
/// nothing (<see cref="IdleStrategy"/>). The differences are the evaluator's overhead, the orders and fills, the
/// indicators; the last is the engine's per-candle work. Process CPU time, the lowest of five rounds of the four in
/// turn; the differences are still only good to a few microseconds on a loaded machine.
/// Trap: the replay's tier-1 code is specialised (guarded devirtualisation) for sma-cross, the strategy it ran most;
/// the two stand-ins go through the interface call instead, which adds a nanosecond or two per candle to them, so the
/// engine's share is slightly overstated and the indicators' understated.
/// </summary>
internal static class OptimizeProfile
{
    private const int Rounds = 5;

    /// <summary>Microseconds of CPU per run for each way (see the type's summary).</summary>
    public readonly record struct Breakdown(double Row, double Summary, double IndicatorsOnly, double Idle)
    {
        public double EvaluatorOverhead => Row - Summary;

        public double OrdersAndFills => Summary - IndicatorsOnly;

        public double Indicators => IndicatorsOnly - Idle;
    }

    /// <param name="sweepOptions">The options the evaluator runs with (recording off, interval known).</param>
    public static Breakdown Measure(Candle[] candles, IReadOnlyList<ParameterSet> points, BacktestEvaluator evaluator, BacktestOptions sweepOptions)
    {
        // Each point's warm-up and window, resolved before the timing as the evaluator resolves them inside it.
        var warmUps = points.Select(p => sweepOptions.WarmUpCandles ?? SmaCross.Descriptor.WarmUpCandles(p)).ToArray();
        var periods = points.Select(p => (Fast: p.GetInt("fast"), Slow: p.GetInt("slow"))).ToArray();
        var crosses = 0L;

        double Row() => Time(points.Count, i => evaluator.Evaluate(points[i]));

        double Summary() => Time(points.Count, i =>
            BacktestEngine.Summarize(candles.AsSpan(BacktestWindow.Start(0, warmUps[i])), SmaCross.Descriptor.Create(points[i]), sweepOptions, warmUps[i]));

        double IndicatorsOnly() => Time(points.Count, i =>
        {
            var strategy = new SmaIndicatorsOnly(periods[i].Fast, periods[i].Slow);
            BacktestEngine.Summarize(candles.AsSpan(BacktestWindow.Start(0, warmUps[i])), strategy, sweepOptions, warmUps[i]);
            crosses += strategy.Crosses;
        });

        double Idle() => Time(points.Count, i =>
            BacktestEngine.Summarize(candles.AsSpan(BacktestWindow.Start(0, warmUps[i])), new IdleStrategy(), sweepOptions, warmUps[i]));

        // One unmeasured pass of each first: the stand-ins' code is compiled and promoted like the rest.
        Func<double>[] ways = [Row, Summary, IndicatorsOnly, Idle];
        foreach (var way in ways)
        {
            way();
        }

        // The four ways in turn, five rounds, the lowest of each: the differences are of a few microseconds between
        // figures of ~150, so each way must see the same load drift as the others.
        var best = ways.Select(_ => double.MaxValue).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            for (var w = 0; w < ways.Length; w++)
            {
                best[w] = Math.Min(best[w], ways[w]());
            }
        }

        if (crosses == 0)
        {
            throw new InvalidOperationException("the indicators-only stand-in saw no cross: it measured nothing");
        }

        return new Breakdown(best[0], best[1], best[2], best[3]);
    }

    private static double Time(int runs, Action<int> run)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        for (var i = 0; i < runs; i++)
        {
            run(i);
        }

        process.Refresh();
        return (process.TotalProcessorTime - before).TotalMicroseconds / runs;
    }
}
