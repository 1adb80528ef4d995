using System.Text.Json;

namespace Quant.Tests;

/// <summary>End-to-end: <c>quant backtest</c> in-process on the shipped data, as a user runs it.</summary>
public sealed class BacktestCommandTests
{
    private static (int Code, string Out, string Err) Quant(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = QuantCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Bare_backtest_prints_the_summary_for_sma_cross_on_the_shipped_data()
    {
        var (code, output, _) = Quant("backtest");
        Assert.Equal(0, code);
        Assert.Contains("sma-cross", output);
        Assert.Contains("8,784", output);
        Assert.Contains("Sharpe", output);
    }

    [Fact]
    public void Json_output_is_one_object_with_the_summary_fields_and_a_stable_hash()
    {
        var first = Quant("backtest", "--json");
        var second = Quant("backtest", "--json");
        Assert.Equal(0, first.Code);
        using var doc = JsonDocument.Parse(first.Out);
        var root = doc.RootElement;
        foreach (var field in new[] { "candles", "trades", "final_equity", "total_return_pct", "buy_hold_return_pct", "max_drawdown_pct", "sharpe", "sortino", "win_rate_pct", "profit_factor", "fees", "exposure_pct", "elapsed_ms", "candles_per_sec", "params", "order_list_hash" })
        {
            Assert.True(root.TryGetProperty(field, out _), $"missing {field}");
        }

        Assert.Equal(8784, root.GetProperty("candles").GetInt32());
        Assert.Equal(30, root.GetProperty("params").GetProperty("slow").GetInt32());
        using var again = JsonDocument.Parse(second.Out);
        Assert.Equal(root.GetProperty("order_list_hash").GetString(), again.RootElement.GetProperty("order_list_hash").GetString());
    }

    [Fact]
    public void Params_from_to_and_fill_options_reach_the_engine()
    {
        var (code, output, err) = Quant("backtest", "--json", "--param", "fast=5,slow=20", "--from", "2024-03-01", "--to", "2024-04-01", "--trade-on-close", "--fee", "0", "--cash", "5000");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        // The 20-candle warm-up (slow=20) comes from the end of February; the statistics start on 1 March.
        Assert.Equal((31 * 24) + 20, root.GetProperty("candles").GetInt32());
        Assert.Equal(20, root.GetProperty("warmup_candles").GetInt32());
        Assert.Equal(31 * 24, root.GetProperty("stats_candles").GetInt32());
        Assert.Equal("2024-03-01T00:00:00Z", root.GetProperty("start").GetString());
        Assert.Equal(0, root.GetProperty("fees").GetDouble());
        Assert.Equal(5000, root.GetProperty("initial_cash").GetDouble());
        Assert.Equal(5, root.GetProperty("params").GetProperty("fast").GetInt32());
    }

    [Fact]
    public void Out_writes_summary_trades_and_equity_files()
    {
        var dir = Path.Combine(Path.GetTempPath(), "quant-bt-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, _, err) = Quant("backtest", "--out", dir, "--json");
            Assert.True(code == 0, err);
            var trades = File.ReadAllLines(Path.Combine(dir, "trades.csv"));
            Assert.Equal("entry_time,exit_time,side,quantity,entry_price,exit_price,pnl,return_pct,fees,exit_reason", trades[0]);
            Assert.Equal(1 + 179 + 1, trades.Length); // header, closed trades, the open one
            Assert.Matches(@"^2024-\d\d-\d\dT\d\d:00:00Z,2024-\d\d-\d\dT\d\d:00:00Z,long,", trades[1]);
            Assert.Matches(@",,long,", trades[^1]); // the open trade has no exit time
            var equity = File.ReadAllLines(Path.Combine(dir, "equity.csv"));
            Assert.Equal("time,equity,cash,position,drawdown_pct", equity[0]);
            Assert.Equal(8785, equity.Length);
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
            Assert.Equal(179, summary.RootElement.GetProperty("trades").GetInt32());
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData(2, "unknown strategy 'nope'", "backtest", "--strategy", "nope")]
    [InlineData(2, "unknown parameter 'speed'", "backtest", "--param", "speed=3")]
    [InlineData(2, "parameter 'fast' = 1 is out of range", "backtest", "--param", "fast=1")]
    [InlineData(2, "is not before --to", "backtest", "--from", "2024-05-01", "--to", "2024-04-01")]
    [InlineData(2, "--from: expected an ISO-8601 date", "backtest", "--from", "yesterday")]
    [InlineData(3, "no candles in", "backtest", "--from", "2030-01-01")]
    [InlineData(3, "not found", "backtest", "--data", "missing.csv")]
    [InlineData(2, "--fee is a fraction", "backtest", "--fee", "1.5")]
    [InlineData(2, "--fee-asset received models Binance spot, which has no shorts", "backtest", "--fee-asset", "received", "--allow-short")]
    [InlineData(2, "'base'", "backtest", "--fee-asset", "base")]
    [InlineData(2, "'weekly'", "backtest", "--returns", "weekly")]
    public void Bad_input_gives_one_line_and_a_non_zero_exit(int expected, string message, params string[] args)
    {
        var (code, _, err) = Quant(args);
        Assert.Equal(expected, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, line);
    }
}
