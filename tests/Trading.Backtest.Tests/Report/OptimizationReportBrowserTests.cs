using Microsoft.Playwright;
using Trading.Backtest.Engine;
using Trading.Backtest.Report;
using Trading.Core.Market;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;

namespace Trading.Backtest.Tests.Report;

/// <summary>
/// End to end: a real sma-cross grid (fast × slow × qty) over the shipped candles and a real four-window walk-forward
/// (best in-sample Sharpe re-run out of sample), rendered and opened offline in headless Chromium. The heat map must
/// paint every reached cell, the tables must hold their rows, and nothing may error. Screenshot:
/// report-artifacts/optimization.png in the test output.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class OptimizationReportBrowserTests(Chromium chromium)
{
    private static readonly double[] Fast = [5, 10, 15, 20, 25];
    private static readonly double[] Slow = [30, 40, 50, 60];
    private static readonly double[] Qty = [0.2, 0.5];

    [Fact]
    public async Task Heat_map_top_results_and_walk_forward_draw_offline()
    {
        var candles = SampleData.Candles;
        var grid = (from f in Fast from s in Slow from q in Qty select new[] { f, s, q }).ToList();
        var rows = grid.Select(p => Row(candles, p)).ToList();
        var (windows, oosEquity) = WalkForward(candles, grid);
        var report = new OptimizationReport
        {
            Title = "sma-cross on BTCUSDT 1h 2024",
            Subtitle = $"grid search, {rows.Count} runs, objective sharpe",
            ParameterNames = ["fast", "slow", "qty"],
            Objective = "sharpe",
            HeatmapX = "fast",
            HeatmapY = "slow",
            Rows = rows,
            TopCount = 10,
            WalkForward = windows,
            OutOfSampleEquity = oosEquity,
        };

        var dir = Path.Combine(AppContext.BaseDirectory, "report-artifacts");
        var path = Path.Combine(dir, "optimization.html");
        HtmlReport.WriteOptimization(path, report);

        await using var session = await chromium.OpenAsync(path);
        var state = await session.WaitDrawnAsync();
        Assert.Equal(Fast.Length * Slow.Length, state.GetProperty("cells").GetInt32());
        Assert.Equal(Fast.Length * Slow.Length, state.GetProperty("filledCells").GetInt32());
        Assert.Equal(10, state.GetProperty("top").GetInt32());
        Assert.Equal(windows.Count, state.GetProperty("walkForward").GetInt32());
        Assert.Equal(oosEquity.Times.Count, state.GetProperty("oosPoints").GetInt32());

        var stats = await session.CanvasStatsAsync();
        foreach (var chart in new[] { "heatmap", "walkforward", "oos" })
        {
            Assert.True(stats.GetProperty(chart).GetProperty("colours").GetInt32() > 20, $"{chart}: canvas is blank");
        }

        Assert.Equal(10, await session.Page.Locator("#top tbody tr").CountAsync());
        Assert.Equal(windows.Count, await session.Page.Locator("#walkforward-table tbody tr").CountAsync());
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, "optimization.png"), FullPage = true });
        Assert.Empty(session.Errors);
        Assert.Empty(session.Blocked);

        // A walk-forward alone keeps only the winners: no heat map or top table, the rest still draws.
        var wfOnly = Path.Combine(dir, "walk-forward.html");
        HtmlReport.WriteOptimization(wfOnly, report with { Rows = [] });
        await using var second = await chromium.OpenAsync(wfOnly);
        state = await second.WaitDrawnAsync();
        Assert.Equal(windows.Count, state.GetProperty("walkForward").GetInt32());
        Assert.False(await second.Page.Locator("#heatmap-panel").IsVisibleAsync());
        Assert.True(await second.Page.Locator("#walkforward-panel").IsVisibleAsync());
        Assert.True((await second.CanvasStatsAsync()).GetProperty("oos").GetProperty("colours").GetInt32() > 20, "out-of-sample equity is blank");
        Assert.Empty(second.Errors);
        Assert.Empty(second.Blocked);
    }

    private static OptimizationRow Row(ReadOnlySpan<Candle> candles, double[] p)
    {
        var r = Run(candles, p);
        return new OptimizationRow(p, r.Metrics.Sharpe, RunSummary.From(r.Metrics));
    }

    private static Results.BacktestResult Run(ReadOnlySpan<Candle> candles, double[] p) =>
        BacktestEngine.Run(candles, SmaCross.Descriptor, ParameterSet.From(("fast", p[0]), ("slow", p[1]), ("qty", p[2])),
            new BacktestOptions { InitialCash = 100_000m, RecordEquity = false });

    /// <summary>
    /// Four windows: 60 days in-sample, the next 30 out of sample, stepping 30 days; the out-of-sample equity segments
    /// chained by scaling each to start where the previous ended.
    /// </summary>
    private static (List<WalkForwardWindow>, EquityCurve) WalkForward(Candle[] candles, List<double[]> grid)
    {
        const int day = 24;
        var windows = new List<WalkForwardWindow>();
        var times = new List<long>();
        var equity = new List<double>();
        var level = 100_000.0;
        for (var w = 0; w < 4; w++)
        {
            int isFrom = w * 30 * day, isTo = isFrom + (60 * day), oosTo = isTo + (30 * day);
            var inSample = candles.AsSpan(isFrom, isTo - isFrom).ToArray();
            var outSample = candles.AsSpan(isTo, oosTo - isTo).ToArray();
            var best = grid.Select(p => (p, r: Run(inSample, p))).MaxBy(x => x.r.Metrics.Sharpe);
            var oos = BacktestEngine.Run(outSample, SmaCross.Descriptor, ParameterSet.From(("fast", best.p[0]), ("slow", best.p[1]), ("qty", best.p[2])),
                new BacktestOptions { InitialCash = 100_000m });
            var scale = level / 100_000.0;
            times.AddRange(oos.Times);
            equity.AddRange(oos.Equity.Select(e => e * scale));
            level = equity[^1];
            windows.Add(new WalkForwardWindow(
                candles[isFrom].OpenTime, candles[isTo].OpenTime, candles[isTo].OpenTime, candles[oosTo].OpenTime,
                best.p, best.r.Metrics.Sharpe, oos.Metrics.Sharpe, RunSummary.From(best.r.Metrics), RunSummary.From(oos.Metrics)));
        }

        return (windows, new EquityCurve(times, equity, 100_000));
    }
}
