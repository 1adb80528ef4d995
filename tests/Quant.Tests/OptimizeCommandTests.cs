using System.Text.Json;

namespace Quant.Tests;

/// <summary>End-to-end: <c>quant optimize</c> in-process on the shipped data.</summary>
public sealed class OptimizeCommandTests
{
    private static readonly string[] IssueGrid = ["optimize", "--strategy", "sma-cross", "--grid", "fast=5:50:5", "--grid", "slow=20:200:10", "--where", "fast < slow", "--json"];

    private static (int Code, string Out, string Err) Quant(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = QuantCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Best_row_reruns_through_quant_backtest_to_the_same_metrics_and_hash()
    {
        var (code, output, err) = Quant(IssueGrid);
        Assert.True(code == 0, err);
        Assert.Equal("", err); // --json: nothing but the JSON
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(174, root.GetProperty("runs").GetInt32());
        Assert.True(root.GetProperty("runs_per_sec").GetDouble() > 0);
        Assert.True(root.GetProperty("threads").GetInt32() >= 1);
        var best = root.GetProperty("best");
        Assert.Equal(1, best.GetProperty("rank").GetInt32());
        Assert.Equal(best.GetRawText(), root.GetProperty("top")[0].GetRawText());

        var p = best.GetProperty("params");
        var param = string.Join(",", p.EnumerateObject().Select(e => $"{e.Name}={e.Value.GetRawText()}"));
        var rerun = Quant("backtest", "--json", "--param", param);
        Assert.True(rerun.Code == 0, rerun.Err);
        using var again = JsonDocument.Parse(rerun.Out);
        var metrics = best.GetProperty("metrics");
        var compared = 0;
        foreach (var field in metrics.EnumerateObject())
        {
            Assert.True(again.RootElement.TryGetProperty(field.Name, out var value), $"backtest --json lacks {field.Name}");
            Assert.Equal(field.Value.GetRawText(), value.GetRawText());
            compared++;
        }

        Assert.True(compared >= 30);
        Assert.Equal(metrics.GetProperty("order_list_hash").GetString(), again.RootElement.GetProperty("order_list_hash").GetString());
        Assert.Equal(best.GetProperty("score").GetDouble(), again.RootElement.GetProperty("sharpe").GetDouble());
    }

    [Theory]
    [InlineData("grid")]
    [InlineData("random")]
    [InlineData("tpe")]
    public void Same_output_and_results_csv_for_1_and_7_threads(string search)
    {
        string Run(int threads, out string csv)
        {
            var dir = Path.Combine(Path.GetTempPath(), $"quant-opt-{Guid.NewGuid():N}");
            try
            {
                var (code, output, err) = Quant([.. IssueGrid, "--search", search, "--samples", "30", "--trials", "30", "--seed", "5", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture), "--top", "5", "--out", dir]);
                Assert.True(code == 0, err);
                csv = File.ReadAllText(Path.Combine(dir, "results.csv"));
                using var doc = JsonDocument.Parse(output);
                return doc.RootElement.GetProperty("top").GetRawText();
            }
            finally
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, true);
                }
            }
        }

        var one = Run(1, out var csv1);
        var seven = Run(7, out var csv7);
        Assert.Equal(one, seven);
        Assert.Equal(csv1, csv7);
        Assert.Equal(search == "grid" ? 175 : 31, csv1.TrimEnd('\n').Split('\n').Length);
    }

    [Theory]
    [InlineData("fast=5:50:0", "--grid fast=5:50:0: step must be positive, got 0")]
    [InlineData("fast=50:5:5", "--grid fast=50:5:5: stop 5 is below start 50")]
    [InlineData("fsat=5:50:5", "--grid fsat=5:50:5: unknown parameter 'fsat'")]
    [InlineData("fast=1:50:1", "--grid fast=1:50:1: parameter 'fast' = 1 is out of range [2, 200]")]
    [InlineData("fast=60:80:10", "no combination of fast=60:80:10 slow=20:40:10 satisfies --where \"fast < slow\"")]
    public void Bad_grids_give_one_line_and_exit_2(string fast, string expected)
    {
        var (code, output, err) = Quant("optimize", "--grid", fast, "--grid", "slow=20:40:10", "--where", "fast < slow");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = expected.StartsWith("--", StringComparison.Ordinal) ? $"quant: optimize: {expected}" : $"quant: {expected}";
        Assert.Equal(line, err.TrimEnd('\n').Split('\n').Single()[..line.Length]);
    }

    [Theory]
    [InlineData("--where", "fast < slwo", "unknown parameter 'slwo'")]
    [InlineData("--objective", "sharp", "--objective 'sharp' is unknown")]
    [InlineData("--search", "bayes", "--search 'bayes' is unknown")]
    [InlineData("--threads", "0", "--threads must be at least 1")]
    [InlineData("--walk-forward", "5000", "--walk-forward 5000 with --train-ratio 0.7 over 8784 candles")]
    public void Bad_options_give_one_line_and_exit_2(string flag, string value, string expected)
    {
        var (code, _, err) = Quant("optimize", "--grid", "fast=5:50:5", "--grid", "slow=20:200:10", flag, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, err.TrimEnd('\n').Split('\n').Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Table_lists_the_top_rows()
    {
        var (code, output, err) = Quant("optimize", "--grid", "fast=5:50:5", "--grid", "slow=20:200:10", "--where", "fast < slow", "--top", "3", "--objective", "return", "--min-trades", "50");
        Assert.True(code == 0, err);
        Assert.Contains("best by return", output, StringComparison.Ordinal);
        Assert.Contains("discarded by --min-trades 50", output, StringComparison.Ordinal);
        Assert.Contains("best: fast=", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Walk_forward_reports_each_window_and_the_overfitting_ratio()
    {
        var (code, output, err) = Quant("optimize", "--grid", "fast=5:30:5", "--grid", "slow=40:120:20", "--where", "fast < slow", "--walk-forward", "3", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var wf = doc.RootElement.GetProperty("walk_forward");
        Assert.Equal(3, wf.GetProperty("windows").GetInt32());
        Assert.Equal(3, wf.GetProperty("per_window").GetArrayLength());
        Assert.Equal(90, doc.RootElement.GetProperty("runs").GetInt32());
        var w0 = wf.GetProperty("per_window")[0];
        Assert.True(w0.GetProperty("in_sample").GetProperty("candles").GetInt32() > w0.GetProperty("out_of_sample").GetProperty("candles").GetInt32());
        Assert.Equal(3 * w0.GetProperty("test_candles").GetInt32(), wf.GetProperty("stitched_equity").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, wf.GetProperty("overfitting_ratio").ValueKind);
    }
}
