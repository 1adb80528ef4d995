using System.Text.Json;
using System.Text.RegularExpressions;
using Trading.Backtest.Report;
using Trading.Backtest.Results;
using static Trading.Backtest.Tests.Report.HandMadeResult;

namespace Trading.Backtest.Tests.Report;

/// <summary>The backtest report's series and HTML, checked against <see cref="HandMadeResult"/> worked out by hand.</summary>
public sealed partial class BacktestReportTests
{
    [Fact]
    public void Buy_and_hold_is_scaled_to_the_initial_cash_from_the_first_open()
    {
        var s = BacktestSeries.Build(Build(), Candles);
        // 1000 × close / 100
        Assert.Equal([1000, 1100, 990, 1210, 1100], s.BuyHold);
    }

    [Fact]
    public void Drawdown_is_measured_from_the_running_peak_starting_at_the_initial_cash()
    {
        var s = BacktestSeries.Build(Build(), Candles);
        // peaks 1000, 1100, 1100, 1210, 1210 → 0, 0, 990/1100 − 1 = −10 %, 0, 1100/1210 − 1 = −1/11
        Assert.Equal(0, s.Drawdown[0], 12);
        Assert.Equal(0, s.Drawdown[1], 12);
        Assert.Equal(-10, s.Drawdown[2], 12);
        Assert.Equal(0, s.Drawdown[3], 12);
        Assert.Equal(-100.0 / 11, s.Drawdown[4], 12);
    }

    [Fact]
    public void One_marker_per_entry_and_per_exit_on_the_candle_of_the_fill()
    {
        var s = BacktestSeries.Build(Build(), Candles);
        // long in at candle 1, out at candle 3; short in at candle 4; the open short has no exit marker: 2 + 1 = 3
        Assert.Equal(
            [new TradeMarker(1, 0, true, TradeSide.Long, 100), new TradeMarker(3, 0, false, TradeSide.Long, 99), new TradeMarker(4, 1, true, TradeSide.Short, 121)],
            s.Markers);
    }

    [Fact]
    public void Fill_times_map_to_the_last_candle_opening_at_or_before_them_clamped_to_the_data()
    {
        Assert.Equal(0, BacktestSeries.BarAt(Candles, T0 - H));
        Assert.Equal(0, BacktestSeries.BarAt(Candles, T0));
        Assert.Equal(2, BacktestSeries.BarAt(Candles, T0 + (2 * H) + 1));
        Assert.Equal(3, BacktestSeries.BarAt(Candles, T0 + (3 * H)));
        Assert.Equal(4, BacktestSeries.BarAt(Candles, T0 + (5 * H))); // end-of-data close, after the last open
    }

    [Fact]
    public void The_data_island_carries_the_series_in_chart_units()
    {
        var root = DataIsland(HtmlReport.RenderBacktest(Build(), Candles, "BTCUSDT 1h"));
        Assert.Equal("BTCUSDT 1h", root.GetProperty("title").GetString());
        Assert.Equal("hand-made(fast=2, slow=3)", root.GetProperty("subtitle").GetString());
        Assert.Equal((T0 / 1000) + 3600, root.GetProperty("bars").GetProperty("t")[1].GetInt64()); // seconds
        Assert.Equal(121, root.GetProperty("bars").GetProperty("c")[3].GetDouble());
        Assert.Equal(-9.0909, root.GetProperty("drawdown")[4].GetDouble()); // rounded to 4 decimals
        Assert.Equal(3, root.GetProperty("markers").GetArrayLength());
        var trades = root.GetProperty("trades");
        Assert.Equal(2, trades.GetArrayLength());
        Assert.Equal(JsonValueKind.Null, trades[1].GetProperty("exit").ValueKind);
        Assert.Equal(4, trades[1].GetProperty("entryBar").GetInt32());
        Assert.Equal(-1, trades[1].GetProperty("exitBar").GetInt32());
        var metrics = root.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("label").GetString()!, m => m.GetProperty("value").GetString());
        Assert.Equal("∞", metrics["Profit factor"]);
        Assert.Equal("-10.00 %", metrics["Max drawdown"]);
        Assert.Equal("1 closed + 1 open", metrics["Trades"]);
    }

    [Fact]
    public void Script_in_a_name_cannot_break_out_of_the_page()
    {
        const string evil = "x</script><script>alert(1)</script>&<!--";
        var html = HtmlReport.RenderBacktest(Build(evil), Candles);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("x</script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x&lt;/script&gt;&lt;script&gt;alert(1)", html, StringComparison.Ordinal); // the <title>
        Assert.Equal(evil + "(fast=2, slow=3)", DataIsland(html).GetProperty("title").GetString());
    }

    [Fact]
    public void The_page_is_self_contained()
    {
        var html = HtmlReport.RenderBacktest(Build(), Candles);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
        Assert.Contains("TradingView Lightweight Charts", html, StringComparison.Ordinal); // the library and its licence header
        Assert.Contains("createSeriesMarkers", html, StringComparison.Ordinal);
        // The scripts and the data are the only script elements, and each closes exactly once.
        Assert.Equal(3, Regex.Matches(html, "<script[ >]").Count);
        Assert.Equal(3, Regex.Matches(html, "</script>", RegexOptions.IgnoreCase).Count);
    }

    [Fact]
    public void Same_inputs_give_the_same_bytes()
    {
        Assert.Equal(HtmlReport.RenderBacktest(Build(), Candles), HtmlReport.RenderBacktest(Build(), Candles));
    }

    [Fact]
    public void A_result_without_its_equity_curve_is_refused_with_a_reason()
    {
        var ex = Assert.Throws<ArgumentException>(() => HtmlReport.RenderBacktest(Build(), Candles.AsSpan(0, 4)));
        Assert.Contains("5 equity points for 4 candles", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_creates_the_folder_and_leaves_no_temporary_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), "quant-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(dir, "sub", "report.html");
            HtmlReport.WriteBacktest(path, Build(), Candles);
            Assert.Equal(HtmlReport.RenderBacktest(Build(), Candles), File.ReadAllText(path));
            Assert.Equal(["report.html"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    internal static JsonElement DataIsland(string html)
    {
        var m = Regex.Match(html, "<script type=\"application/json\" id=\"quant-data\">(.*?)</script>", RegexOptions.Singleline);
        Assert.True(m.Success, "no data island");
        return JsonDocument.Parse(m.Groups[1].Value).RootElement.Clone();
    }

    /// <summary>Anything that would make the browser fetch: src/href to a URL, @import, url(http…).</summary>
    [GeneratedRegex("""(src|href)\s*=\s*["']?(https?:)?//|@import|url\(\s*["']?https?:""", RegexOptions.IgnoreCase)]
    internal static partial Regex ExternalReference();
}
