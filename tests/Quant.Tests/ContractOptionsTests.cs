using System.Text.Json;

namespace Quant.Tests;

/// <summary>
/// The contract-v2 options of <c>backtest</c> and <c>optimize</c>: the warm-up taken from the history before
/// <c>--from</c>, <c>--warmup-in-stats</c>, <c>--fee-asset</c> and <c>--returns</c>.
/// </summary>
public sealed class ContractOptionsTests
{
    private static (int Code, string Out, string Err) Quant(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = QuantCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static JsonElement Json(params string[] args)
    {
        var (code, output, err) = Quant(args);
        Assert.True(code == 0, err);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    [Fact]
    public void Warm_up_in_stats_counts_the_history_candles_in_the_statistics()
    {
        string[] range = ["backtest", "--json", "--from", "2024-03-01", "--to", "2024-04-01"];
        var excluded = Json(range);
        var included = Json([.. range, "--warmup-in-stats"]);
        Assert.Equal(30, excluded.GetProperty("warmup_candles").GetInt32());
        Assert.Equal(31 * 24, excluded.GetProperty("stats_candles").GetInt32());
        Assert.Equal((31 * 24) + 30, included.GetProperty("stats_candles").GetInt32());
        Assert.Equal("2024-02-28T18:00:00Z", included.GetProperty("start").GetString()); // 30 hours before March
        Assert.Equal(excluded.GetProperty("order_list_hash").GetString(), included.GetProperty("order_list_hash").GetString());
        Assert.NotEqual(excluded.GetProperty("buy_hold_return_pct").GetDouble(), included.GetProperty("buy_hold_return_pct").GetDouble());
    }

    [Fact]
    public void Fee_asset_received_charges_buys_in_the_base_asset()
    {
        var quote = Json("backtest", "--json", "--param", "qty=0.1");
        var received = Json("backtest", "--json", "--param", "qty=0.1", "--fee-asset", "received");
        Assert.Equal(quote.GetProperty("trades").GetInt32(), received.GetProperty("trades").GetInt32());
        Assert.NotEqual(quote.GetProperty("order_list_hash").GetString(), received.GetProperty("order_list_hash").GetString()); // exits sell q − fee
        Assert.NotEqual(quote.GetProperty("final_equity").GetDouble(), received.GetProperty("final_equity").GetDouble());
    }

    [Fact]
    public void Returns_daily_changes_sharpe_and_the_summary_says_which()
    {
        var candle = Json("backtest", "--json");
        var daily = Json("backtest", "--json", "--returns", "daily");
        Assert.Equal("candle", candle.GetProperty("returns").GetString());
        Assert.Equal("daily", daily.GetProperty("returns").GetString());
        Assert.NotEqual(candle.GetProperty("sharpe").GetDouble(), daily.GetProperty("sharpe").GetDouble());
        Assert.Equal(candle.GetProperty("volatility_pct").GetDouble(), daily.GetProperty("volatility_pct").GetDouble());

        var (code, table, _) = Quant("backtest", "--returns", "daily");
        Assert.Equal(0, code);
        Assert.Contains("Sharpe (daily returns, √365)", table);
        Assert.Contains("(30 warm-up, not in the statistics)", table);
    }

    [Fact]
    public void Optimize_takes_the_same_options_and_its_best_row_reruns_through_backtest()
    {
        string[] shared = ["--from", "2024-06-01", "--to", "2024-09-01", "--fee-asset", "received", "--returns", "daily"];
        var optimize = Json(["optimize", "--json", "--grid", "fast=5:15:5", "--grid", "slow=20:60:20", .. shared]);
        var best = optimize.GetProperty("best");
        var param = string.Join(",", best.GetProperty("params").EnumerateObject().Select(e => $"{e.Name}={e.Value.GetRawText()}"));
        var backtest = Json(["backtest", "--json", "--param", param, .. shared]);

        // Each run's warm-up (its own slow) came from May in both commands: every metric agrees.
        var metrics = best.GetProperty("metrics");
        foreach (var field in metrics.EnumerateObject())
        {
            Assert.True(backtest.TryGetProperty(field.Name, out var value), $"backtest --json lacks {field.Name}");
            Assert.Equal(field.Value.GetRawText(), value.GetRawText());
        }

        Assert.Equal("daily", metrics.GetProperty("returns").GetString());
        Assert.Equal(best.GetProperty("params").GetProperty("slow").GetInt32(), metrics.GetProperty("warmup_candles").GetInt32());
    }
}
