using System.CommandLine;
using Quant.Cli;
using Trading.Backtest.Engine;
using Trading.Backtest.Report;
using Trading.Core.Market;
using Trading.Optimizer.Backtesting;
using Trading.Optimizer.Objectives;
using Trading.Optimizer.Running;
using Trading.Optimizer.Space;
using Trading.Optimizer.WalkForward;

namespace Quant.Commands;

/// <summary>
/// Maps <c>quant optimize</c> results into the HTML report's model (<see cref="OptimizationReport"/>, which lives in
/// Trading.Backtest so that the optimizer depends on the backtest and not the other way round), and owns
/// <c>--heatmap X,Y</c>. Report rows carry the swept parameters only, in the space's axis order; the objective is the
/// metric itself (max drawdown as a positive percentage, lower is better); runs the optimizer did not keep
/// (<c>--min-trades</c>) carry NaN and are left out of the heat map and ranked last.
/// </summary>
internal static class OptimizeReport
{
    public static Option<string?> CreateHeatmapOption() => new("--heatmap")
    {
        Description = "Report heat map axes: two swept parameters X,Y (default: the first two swept)",
        HelpName = "X,Y",
    };

    /// <summary>The heat map's axes from <c>--heatmap</c> (validated against the swept parameters) or the first two swept.</summary>
    public static (string X, string? Y) Axes(ParameterSpace space, string? heatmap)
    {
        var swept = space.Axes.Select(a => a.Name).ToList();
        if (string.IsNullOrWhiteSpace(heatmap))
        {
            return swept.Count switch
            {
                0 => throw CliException.Usage("--report needs at least one swept parameter (--grid)"),
                1 => (swept[0], null),
                _ => (swept[0], swept[1]),
            };
        }

        var parts = heatmap.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || parts[0] == parts[1])
        {
            throw CliException.Usage($"--heatmap takes two different swept parameters X,Y, got '{heatmap}'");
        }

        foreach (var p in parts)
        {
            if (!swept.Contains(p, StringComparer.Ordinal))
            {
                throw CliException.Usage($"--heatmap: '{p}' is not a swept parameter ({string.Join(", ", swept)})");
            }
        }

        return (parts[0], parts[1]);
    }

    /// <summary>A search: every trial, ranked by the optimizer (its tie-break order is kept), and the heat map.</summary>
    public static OptimizationReport FromSearch(
        ParameterSpace space, OptimizationResult<RunMetrics> result, Objective objective, (string X, string? Y) axes, string title, string search, int top)
    {
        var names = space.Axes.Select(a => a.Name).ToArray();
        var ranked = result.Ranked();
        var kept = ranked.Select(t => t.Index).ToHashSet();
        var rows = ranked.Concat(result.Trials.Where(t => !kept.Contains(t.Index)))
            .Select(t => new OptimizationRow(
                names.Select(t.Parameters.Get).ToArray(),
                t.Kept ? Scoring.Value(objective, t.Result.Metrics) : double.NaN,
                RunSummary.From(t.Result.Metrics)))
            .ToList();
        return new OptimizationReport
        {
            Title = title,
            Subtitle = $"{search} search · {result.Trials.Count:N0} runs ({ranked.Count:N0} kept) on {result.Threads} threads in {result.Elapsed.TotalSeconds:F1} s · {space}"
                + (result.Canceled ? " · canceled" : ""),
            ParameterNames = names,
            Objective = Scoring.Name(objective),
            HigherIsBetter = objective != Objective.MaxDrawdown,
            Rows = rows,
            HeatmapX = axes.X,
            HeatmapY = axes.Y,
            TopCount = Math.Max(top, 10),
        };
    }

    /// <summary>A walk-forward: each window's winner in and out of sample, and the chained out-of-sample equity.</summary>
    public static OptimizationReport FromWalkForward(
        ParameterSpace space, WalkForwardReport report, Candle[] candles, (string X, string? Y) axes, string title, string search)
    {
        var names = space.Axes.Select(a => a.Name).ToArray();
        var interval = BacktestEngine.Interval(candles);
        long End(int exclusive) => candles[exclusive - 1].OpenTime + interval;
        var windows = report.Windows.Select(w => new Trading.Backtest.Report.WalkForwardWindow(
                candles[w.Window.TrainStart].OpenTime,
                End(w.Window.TrainStart + w.Window.TrainLength),
                candles[w.Window.TestStart].OpenTime,
                End(w.Window.TestEnd),
                w.Best is { } best ? names.Select(best.Get).ToArray() : [],
                w.InSampleValue ?? double.NaN,
                w.OutOfSampleValue ?? double.NaN,
                w.InSample is { } i ? RunSummary.From(i.Metrics) : null,
                w.OutOfSample is { } o ? RunSummary.From(o) : null))
            .ToList();
        return new OptimizationReport
        {
            Title = title,
            Subtitle = $"walk-forward, {report.Windows.Count} windows, {search} search · {report.Runs:N0} runs in {report.Elapsed.TotalSeconds:F1} s · {space}"
                + (report.Canceled ? " · canceled" : ""),
            ParameterNames = names,
            // in and out of sample compare CAGR for the return objective (segments differ in length)
            Objective = report.Objective == Objective.Return ? "CAGR %" : Scoring.Name(report.Objective),
            HigherIsBetter = report.Objective != Objective.MaxDrawdown,
            Rows = [],
            HeatmapX = axes.X,
            HeatmapY = axes.Y,
            WalkForward = windows,
            OutOfSampleEquity = new EquityCurve(report.StitchedTimes, report.StitchedEquity, report.InitialCash),
        };
    }
}
