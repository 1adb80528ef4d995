using System.Text.Json;
using System.Text.RegularExpressions;

namespace Quant.Tests;

/// <summary>
/// End-to-end: <c>--report</c> on <c>quant backtest</c> writes one self-contained HTML file that agrees with the
/// JSON summary of the same run (the drawing itself is tested in a browser in Trading.Backtest.Tests/Report).
/// </summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "quant-report-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static (int Code, string Out, string Err) Quant(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = QuantCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Backtest_report_holds_every_candle_and_one_marker_per_entry_and_exit()
    {
        var path = Path.Combine(_dir, "r", "bt.html");
        var (code, output, err) = Quant("backtest", "--json", "--report", path);
        Assert.True(code == 0, err);
        Assert.Contains("report: " + path, err, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(output); // stdout stays one JSON object
        int closed = summary.RootElement.GetProperty("trades").GetInt32(), open = summary.RootElement.GetProperty("open_trades").GetInt32();

        var html = File.ReadAllText(path);
        var island = Regex.Match(html, "<script type=\"application/json\" id=\"quant-data\">(.*?)</script>", RegexOptions.Singleline);
        using var data = JsonDocument.Parse(island.Groups[1].Value);
        var root = data.RootElement;
        Assert.Equal("BTCUSDT 1h 2024", root.GetProperty("title").GetString());
        Assert.Equal(8784, root.GetProperty("bars").GetProperty("t").GetArrayLength());
        Assert.Equal(8784, root.GetProperty("equity").GetArrayLength());
        Assert.Equal(closed + open, root.GetProperty("trades").GetArrayLength());
        Assert.Equal((2 * closed) + open, root.GetProperty("markers").GetArrayLength());
        Assert.Contains("LightweightCharts", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Optimize_report_maps_every_run_onto_the_chosen_heat_map_axes()
    {
        var path = Path.Combine(_dir, "opt.html");
        var (code, output, err) = Quant("optimize", "--json", "--grid", "fast=5:15:5", "--grid", "slow=30:50:10", "--heatmap", "slow,fast", "--report", path);
        Assert.True(code == 0, err);
        using var summary = JsonDocument.Parse(output);
        var html = File.ReadAllText(path);
        var island = Regex.Match(html, "<script type=\"application/json\" id=\"quant-data\">(.*?)</script>", RegexOptions.Singleline);
        using var data = JsonDocument.Parse(island.Groups[1].Value);
        var heatmap = data.RootElement.GetProperty("heatmap");
        Assert.Equal(9, data.RootElement.GetProperty("rows").GetInt32()); // 3 fast × 3 slow
        Assert.Equal("slow", heatmap.GetProperty("x").GetString());
        Assert.Equal(["30", "40", "50"], heatmap.GetProperty("xLabels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["5", "10", "15"], heatmap.GetProperty("yLabels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("sharpe", data.RootElement.GetProperty("objective").GetString());
    }

    [Fact]
    public void Optimize_heatmap_must_name_swept_parameters()
    {
        var (code, _, err) = Quant("optimize", "--json", "--grid", "fast=5:15:5", "--grid", "slow=30:50:10", "--heatmap", "fast,qty", "--report", Path.Combine(_dir, "x.html"));
        Assert.Equal(2, code);
        Assert.Contains("--heatmap: 'qty' is not a swept parameter (fast, slow)", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_without_a_path_goes_into_the_out_folder()
    {
        var (code, _, err) = Quant("backtest", "--out", _dir, "--report", "--json");
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(_dir, "report.html")));
        Assert.True(File.Exists(Path.Combine(_dir, "summary.json")));
    }

    [Fact]
    public void An_unwritable_report_path_is_one_line_naming_the_flag()
    {
        var blocker = Path.Combine(_dir, "file");
        Directory.CreateDirectory(_dir);
        File.WriteAllText(blocker, "a file where a folder should be");
        var (code, _, err) = Quant("backtest", "--json", "--report", Path.Combine(blocker, "r.html"));
        Assert.Equal(1, code);
        Assert.StartsWith("quant: --report: cannot write " + Path.Combine(blocker, "r.html"), err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }
}
