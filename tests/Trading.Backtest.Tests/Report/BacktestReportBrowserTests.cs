using System.Text.Json;
using Microsoft.Playwright;
using Trading.Backtest.Engine;
using Trading.Backtest.Report;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;

namespace Trading.Backtest.Tests.Report;

/// <summary>
/// End to end: sma-cross over the shipped BTCUSDT 1h 2024 candles (8,784), written as a report, opened via file://
/// in headless Chromium with the network blocked. The charts must paint, with one marker per trade entry and one per
/// trade exit (so markers = trades + closed trades; the open trade, if any, has an entry marker only), and no errors.
/// The screenshot lands in the test output folder: report-artifacts/backtest.png.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class BacktestReportBrowserTests(Chromium chromium)
{
    // The charts' own colours (Assets/backtest.js): candles up/down, equity, buy & hold, exit markers.
    private const string Up = "#26a69a", Down = "#ef5350", Equity = "#4c8dff", Hold = "#f0b90b", Exit = "#c9ced8";

    [Fact]
    public async Task Sma_cross_report_draws_every_chart_and_one_marker_per_entry_and_exit_offline()
    {
        var parameters = ParameterSet.From(("fast", 10), ("slow", 30), ("qty", 0.5));
        var result = BacktestEngine.Run(SampleData.Candles, SmaCross.Descriptor, parameters, new BacktestOptions { InitialCash = 100_000m });
        var closed = result.Trades.Count(t => !t.IsOpen);
        Assert.True(closed > 50, $"expected a real number of trades, got {closed}");

        var dir = Path.Combine(AppContext.BaseDirectory, "report-artifacts");
        var path = Path.Combine(dir, "backtest.html");
        HtmlReport.WriteBacktest(path, result, SampleData.Candles, "BTCUSDT 1h · 2024");

        await using var session = await chromium.OpenAsync(path);
        var state = await session.WaitDrawnAsync();

        Assert.Equal(SampleData.Candles.Length, state.GetProperty("candles").GetInt32());
        Assert.Equal(result.Trades.Count, state.GetProperty("trades").GetInt32());
        Assert.Equal(result.Trades.Count, state.GetProperty("entryMarkers").GetInt32());
        Assert.Equal(closed, state.GetProperty("exitMarkers").GetInt32());
        Assert.Equal(result.Trades.Count + closed, state.GetProperty("markers").GetInt32());
        Assert.Equal(3, state.GetProperty("charts").GetInt32());

        var stats = await session.CanvasStatsAsync(Up, Down, Equity, Hold, Exit);
        foreach (var chart in new[] { "price", "equity", "drawdown" })
        {
            var s = stats.GetProperty(chart);
            Assert.True(s.GetProperty("canvases").GetInt32() > 0, $"{chart}: no canvas");
            Assert.True(s.GetProperty("colours").GetInt32() > 20, $"{chart}: canvas is blank ({s.GetProperty("colours").GetInt32()} colours)");
        }

        var price = Hits(stats, "price");
        Assert.True(price[0] > 100 && price[1] > 100, $"price chart lacks candle bodies: up {price[0]}, down {price[1]} pixels");
        Assert.True(price[4] > 0, "price chart shows no exit marker");
        var equity = Hits(stats, "equity");
        Assert.True(equity[2] > 100 && equity[3] > 100, $"equity chart lacks a line: strategy {equity[2]}, buy & hold {equity[3]} pixels");
        Assert.True(Hits(stats, "drawdown")[1] > 0, "drawdown chart has no red curve");

        // The tables: one row per trade, and the summary.
        Assert.Equal(result.Trades.Count, await session.Page.Locator("#trades tbody tr").CountAsync());
        Assert.True(await session.Page.Locator("#metrics tr").CountAsync() >= 20);

        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, "backtest.png"), FullPage = true });

        // Clicking a trade zooms the price chart onto it, and the other two charts follow.
        var markers = BacktestSeries.Build(result, SampleData.Candles).Markers;
        var pick = result.Trades.Count / 2;
        int entryBar = markers.Single(m => m.Trade == pick && m.IsEntry).Bar, exitBar = markers.Single(m => m.Trade == pick && !m.IsEntry).Bar;
        await session.Page.Locator("#trades tbody tr").Nth(pick).ClickAsync();
        await session.Page.WaitForFunctionAsync(
            "([a, b]) => window.__quantReport.ranges().every(r => r !== null && r.from <= a && r.to >= b && r.to - r.from < 1000)",
            new[] { entryBar, exitBar });
        var ranges = await session.Page.EvaluateAsync<JsonElement>("() => window.__quantReport.ranges()");
        Assert.Equal(ranges[0].GetProperty("from").GetDouble(), ranges[1].GetProperty("from").GetDouble(), 6);
        Assert.Equal(ranges[0].GetProperty("to").GetDouble(), ranges[2].GetProperty("to").GetDouble(), 6);
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, "backtest-trade.png") });
        Assert.Empty(session.Errors);
        Assert.Empty(session.Blocked);
    }

    private static int[] Hits(JsonElement stats, string chart) =>
        stats.GetProperty(chart).GetProperty("hits").EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
