using System.Globalization;
using System.Text.Json;

namespace Quant.Tests;

/// <summary>
/// Parity of <c>quant live --exchange sim --lockstep</c> with <c>quant backtest</c>: the same strategy, parameters, cash,
/// fee and candles (three months of the shipped data, spread 0) give the same trades and final equity. The live run's
/// fills.csv is paired buy → sell into round trips and compared with the backtest's trades.csv row by row.
/// <para>Where the two differ by construction, and only there, the comparison allows it:</para>
/// <list type="bullet">
/// <item>Times: the simulator stamps a fill at a candle's close with Binance's kline close time (open + interval − 1
/// ms); the backtest stamps it with the next candle's open (open + interval). So a trade-on-close time is compared as
/// live + 1 ms = backtest, exactly; a next-open fill carries the open time on both sides.</item>
/// <item>Fees: the simulator rounds each commission to 8 decimals (the venue's precision), the backtest keeps the exact
/// product. A round trip's fee (two fills) may therefore differ by at most 2 × 0.5e-8 = 1e-8, and the final equity by at
/// most 0.5e-8 per fill. Prices, quantities and sides are compared exactly.</item>
/// </list>
/// </summary>
public sealed class LiveParityTests
{
    private const decimal RoundingPerFill = 0.000000005m;

    private static readonly string[] Range = ["--from", "2024-01-01", "--to", "2024-04-01", "--cash", "10000", "--fee", "0.001"];

    [Theory]
    [InlineData("sma-cross")]
    [InlineData("rsi-reversion")]
    [InlineData("bollinger-breakout")]
    public void Trade_on_close_matches_the_simulator_filling_at_the_touch(string strategy)
    {
        AssertParity(
            live: ["--strategy", strategy, "--sim-market-fill", "touch", "--sim-fee-asset", "quote"],
            backtest: ["--strategy", strategy, "--trade-on-close", "--fee-asset", "quote"],
            closeFills: true);
    }

    [Fact]
    public void Sma_cross_with_the_fee_in_the_asset_received_matches()
    {
        AssertParity(
            live: ["--sim-market-fill", "touch", "--sim-fee-asset", "received"],
            backtest: ["--trade-on-close", "--fee-asset", "received"],
            closeFills: true,
            feeInBase: true);
    }

    [Fact]
    public void Sma_cross_next_open_matches_the_simulator_filling_at_the_next_print()
    {
        AssertParity(
            live: ["--sim-market-fill", "next-print", "--sim-fee-asset", "quote"],
            backtest: ["--fee-asset", "quote"],
            closeFills: false);
    }

    /// <summary>
    /// Paper trading against the simulator (which then only serves market data): the orders are filled locally by the
    /// backtest's fill model at the touch, so a trade-on-close backtest is matched exactly — trades.csv and equity.csv
    /// byte for byte, summary.json field by field (the ratios to the last bits of a double: the backtest sums its
    /// curve in doubles, live converts exact decimals) — and the simulator saw no order at all.
    /// </summary>
    [Theory]
    [InlineData("quote")]
    [InlineData("received")]
    public void Paper_trading_matches_the_backtest_byte_for_byte_and_sends_nothing(string feeAsset)
    {
        using var liveDir = new TempFolder();
        using var backtestDir = new TempFolder();
        var l = CliRunner.Run(["live", "--exchange", "sim", "--paper", "--lockstep", "--spread-bps", "0", .. Range, "--sim-fee-asset", feeAsset, "--out", liveDir.Path]);
        Assert.True(l.ExitCode == 0, l.Stderr);
        Assert.Contains("paper trading: orders are filled locally", l.Stderr, StringComparison.Ordinal);
        Assert.Contains("simulator truth: 0 orders placed, 0 trades", l.Stderr, StringComparison.Ordinal);
        var b = CliRunner.Run(["backtest", .. Range, "--trade-on-close", "--fee-asset", feeAsset, "--out", backtestDir.Path]);
        Assert.True(b.ExitCode == 0, b.Stderr);

        var trades = File.ReadAllText(Path.Combine(backtestDir.Path, "trades.csv"));
        Assert.True(trades.Split('\n').Length > 10, "a parity test needs trades to compare");
        Assert.Equal(trades, File.ReadAllText(Path.Combine(liveDir.Path, "trades.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(backtestDir.Path, "equity.csv")), File.ReadAllText(Path.Combine(liveDir.Path, "equity.csv")));
        var live = JsonDocument.Parse(File.ReadAllText(Path.Combine(liveDir.Path, "summary.json"))).RootElement;
        var back = JsonDocument.Parse(File.ReadAllText(Path.Combine(backtestDir.Path, "summary.json"))).RootElement;
        Assert.Equal("paper", live.GetProperty("mode").GetString());
        AssertSameSummaryFields(live, back);
        foreach (var field in back.EnumerateObject().Where(p => p.Name is not ("elapsed_ms" or "candles_per_sec")))
        {
            var other = live.GetProperty(field.Name);
            if (field.Value.ValueKind == JsonValueKind.Number && field.Value.GetRawText().Contains('.', StringComparison.Ordinal) && field.Name is not ("final_position" or "final_cash"))
            {
                var (x, y) = (field.Value.GetDouble(), other.GetDouble());
                Assert.True(Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)), $"{field.Name}: live {y}, backtest {x}");
            }
            else
            {
                Assert.True(field.Value.GetRawText() == other.GetRawText(), $"{field.Name}: live {other.GetRawText()}, backtest {field.Value.GetRawText()}");
            }
        }
    }

    [Fact]
    public void Lockstep_needs_a_simulator_to_step()
    {
        var r = CliRunner.Run("live", "--exchange", "binance-testnet", "--lockstep");
        r.AssertUsageError("--lockstep: needs --exchange sim (a simulator to step), got --exchange binance-testnet");
    }

    private static void AssertParity(string[] live, string[] backtest, bool closeFills, bool feeInBase = false)
    {
        using var liveDir = new TempFolder();
        using var backtestDir = new TempFolder();
        var l = CliRunner.Run(["live", "--exchange", "sim", "--lockstep", "--spread-bps", "0", .. Range, .. live, "--out", liveDir.Path]);
        Assert.True(l.ExitCode == 0, l.Stderr);
        var b = CliRunner.Run(["backtest", .. Range, .. backtest, "--out", backtestDir.Path]);
        Assert.True(b.ExitCode == 0, b.Stderr);

        var fills = File.ReadAllLines(Path.Combine(liveDir.Path, "fills.csv")).Skip(1).Select(line => line.Split(',')).ToList();
        var trades = File.ReadAllLines(Path.Combine(backtestDir.Path, "trades.csv")).Skip(1).Select(line => line.Split(',')).ToList();
        Assert.True(trades.Count >= 5, $"a parity test needs trades to compare, the backtest made {trades.Count}");
        var liveSummary = JsonDocument.Parse(File.ReadAllText(Path.Combine(liveDir.Path, "summary.json"))).RootElement;
        Assert.Equal(0, liveSummary.GetProperty("orders_rejected").GetInt32());

        // Round trips: each backtest trade is a buy fill then (unless still open) a sell fill, in order.
        var open = trades[^1][9] == "open" ? 1 : 0;
        Assert.Equal((trades.Count * 2) - open, fills.Count);
        var liveFees = 0m;
        var dust = 0m;
        for (var i = 0; i < trades.Count; i++)
        {
            var t = trades[i];
            var entry = fills[2 * i];
            var row = $"trade {i + 1} ({t[0]})";
            Assert.True(entry[2] == "buy" && t[2] == "long", $"{row}: live {entry[2]}, backtest {t[2]}");
            Assert.True(Dec(entry[4]) == Dec(t[3]), $"{row}: quantity live {entry[4]}, backtest {t[3]}");
            Assert.True(Dec(entry[3]) == Dec(t[4]), $"{row}: entry price live {entry[3]}, backtest {t[4]}");
            Assert.True(FillTime(entry[0], closeFills) == Time(t[0]), $"{row}: entry time live {entry[0]}, backtest {t[0]}");
            var fee = Dec(entry[5]);
            if (t[9] != "open")
            {
                var exit = fills[(2 * i) + 1];
                Assert.True(exit[2] == "sell", $"{row}: live exit {exit[2]}");
                // trades.csv records a round trip's entry quantity; with the buy's fee paid in base, the exit sells what is
                // held: the dust left by earlier trips plus the entry less its 8-decimal fee, rounded down to the lot.
                var holding = dust + Dec(t[3]) - (feeInBase ? Math.Round(Dec(t[3]) * 0.001m, 8, MidpointRounding.AwayFromZero) : 0m);
                var held = Math.Floor(holding * 100_000m) / 100_000m;
                dust = holding - held;
                Assert.True(Dec(exit[4]) == held, $"{row}: exit quantity live {exit[4]}, backtest {held} (of {t[3]} bought)");
                Assert.True(Dec(exit[3]) == Dec(t[5]), $"{row}: exit price live {exit[3]}, backtest {t[5]}");
                Assert.True(FillTime(exit[0], closeFills) == Time(t[1]), $"{row}: exit time live {exit[0]}, backtest {t[1]}");
                fee += Dec(exit[5]);
                Assert.True(Math.Abs(fee - Dec(t[8])) <= 2 * RoundingPerFill, $"{row}: fees live {fee}, backtest {t[8]}");
            }
            else
            {
                Assert.True(Math.Abs(fee - Dec(t[8])) <= RoundingPerFill, $"{row}: entry fee live {fee}, backtest {t[8]}");
            }

            liveFees += fee;
        }

        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(backtestDir.Path, "summary.json"))).RootElement;
        AssertSameTradesCsv(liveDir.Path, backtestDir.Path, closeFills);
        AssertSameSummaryFields(liveSummary, summary);
        Assert.Equal(summary.GetProperty("final_position").GetDecimal(), liveSummary.GetProperty("final_position").GetDecimal());
        Assert.True(Math.Abs(summary.GetProperty("final_cash").GetDecimal() - liveSummary.GetProperty("final_cash").GetDecimal()) <= fills.Count * RoundingPerFill,
            $"final cash live {liveSummary.GetProperty("final_cash")}, backtest {summary.GetProperty("final_cash")}");
        var liveEquity = liveSummary.GetProperty("final_equity_exact").GetDecimal();
        var backtestEquity = summary.GetProperty("final_equity").GetDecimal();
        Assert.True(Math.Abs(liveEquity - backtestEquity) <= fills.Count * RoundingPerFill,
            $"final equity live {liveEquity}, backtest {backtestEquity} ({fills.Count} fills)");
        Assert.Equal(liveFees, liveSummary.GetProperty("fees_exact").GetDecimal());
    }

    /// <summary>
    /// Live's trades.csv (the backtest's writer over the live fills) against the backtest's, field by field: the same
    /// header, rows, sides, quantities, prices and exit reasons as text; times as above (a close fill's second is the
    /// one before: 12:59:59.999 prints as 12:59:59); PnL and fees within the per-fill commission rounding.
    /// </summary>
    internal static void AssertSameTradesCsv(string liveDir, string backtestDir, bool closeFills)
    {
        var live = File.ReadAllLines(Path.Combine(liveDir, "trades.csv"));
        var back = File.ReadAllLines(Path.Combine(backtestDir, "trades.csv"));
        Assert.Equal(back[0], live[0]);
        Assert.Equal(back.Length, live.Length);
        for (var i = 1; i < back.Length; i++)
        {
            var l = live[i].Split(',');
            var b = back[i].Split(',');
            var row = $"trades.csv row {i}: live '{live[i]}', backtest '{back[i]}'";
            Assert.True(SameTime(l[0], b[0], closeFills) && SameTime(l[1], b[1], closeFills), row);
            Assert.True(l[2] == b[2] && l[3] == b[3] && l[4] == b[4] && l[5] == b[5] && l[9] == b[9], row);
            Assert.True(Math.Abs(Dec(l[6]) - Dec(b[6])) <= 2 * RoundingPerFill && Math.Abs(Dec(l[8]) - Dec(b[8])) <= 2 * RoundingPerFill, row);
            Assert.True(Math.Abs(double.Parse(l[7], CultureInfo.InvariantCulture) - double.Parse(b[7], CultureInfo.InvariantCulture)) <= 2e-6, row);
        }

        Assert.Equal(File.ReadLines(Path.Combine(backtestDir, "equity.csv")).First(), File.ReadLines(Path.Combine(liveDir, "equity.csv")).First());
    }

    /// <summary>Every field of the backtest's summary.json is in live's, in the same order (live adds its own after them).</summary>
    internal static void AssertSameSummaryFields(JsonElement live, JsonElement backtest)
    {
        var b = backtest.EnumerateObject().Select(p => p.Name).Where(n => n is not ("elapsed_ms" or "candles_per_sec")).ToList();
        var l = live.EnumerateObject().Select(p => p.Name).Take(b.Count).ToList();
        Assert.Equal(b, l);
    }

    private static bool SameTime(string live, string backtest, bool closeFill) =>
        live.Length == 0 ? backtest.Length == 0 : Time(live) + (closeFill ? 1000 : 0) == Time(backtest);

    private static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static long Time(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    /// <summary>A live fill's time on the backtest's convention: a close fill at the kline close time is the next open.</summary>
    private static long FillTime(string ms, bool closeFill) => long.Parse(ms, CultureInfo.InvariantCulture) + (closeFill ? 1 : 0);
}
