using System.Text.Json;

namespace Quant.Tests;

/// <summary>
/// <c>quant live</c> end to end, in-process: the simulator started by the command on a loopback port, sma-cross trading
/// over a two-week replay that ends the run by itself (the end of the data stops it as Ctrl-C would).
/// </summary>
public sealed class LiveCommandTests
{
    private static readonly string[] TwoWeeks =
        ["live", "--from", "2024-03-01", "--to", "2024-03-15", "--sim-speed", "360000", "--param", "fast=5,slow=12"];

    [Fact]
    public void Trades_sma_cross_against_the_in_process_simulator_and_exits_0()
    {
        using var dir = new TempFolder();
        var r = CliRunner.Run([.. TwoWeeks, "--sim-fee-asset", "quote", "--out", dir.Path]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("market streams connected", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("│ Stopped", r.Stdout, StringComparison.Ordinal);
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "summary.json"))).RootElement;
        var fills = File.ReadAllLines(Path.Combine(dir.Path, "fills.csv"));
        Assert.Equal("time,order_id,side,price,quantity,fee,commission,commission_asset,trade_id,tag", fills[0]);
        Assert.True(fills.Length >= 3, $"expected at least one round trip, got {fills.Length - 1} fills");
        Assert.Equal(fills.Length - 1, summary.GetProperty("fills").GetInt32());
        Assert.Equal("sma-cross", summary.GetProperty("strategy").GetString());
        // The cash is what the fills say: 10,000 − Σ buys + Σ sells − Σ fees (commission in the quote asset).
        var cash = 10_000m;
        foreach (var line in fills.Skip(1))
        {
            var f = line.Split(',');
            var notional = decimal.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture) * decimal.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture);
            cash += (f[2] == "buy" ? -notional : notional) - decimal.Parse(f[6], System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(cash, summary.GetProperty("final_cash").GetDecimal());
        // Rejections are possible under load (a signal while the previous order is still in flight); none go unseen.
        Assert.True(summary.GetProperty("orders_rejected").GetInt32() <= summary.GetProperty("orders_sent").GetInt32());
    }

    [Fact]
    public void Json_events_leave_only_json_lines_on_stdout()
    {
        var r = CliRunner.Run([.. TwoWeeks, "--json-events"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var types = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()).ToList();
        Assert.Contains("connection", types);
        Assert.Contains("candle", types);
        Assert.Contains("fill", types);
        Assert.Equal("connection", types[^1]);
    }

    [Fact]
    public void The_api_secret_reaches_no_output_and_no_file()
    {
        const string secret = "Zq8-live-secret-never-printed-5501";
        using var dir = new TempFolder();
        var context = CliRunner.WithEnvironment(("QUANT_BINANCE_API_KEY", "redaction-test-key"), ("QUANT_BINANCE_API_SECRET", secret));
        var r = CliRunner.Run(context, [.. TwoWeeks, "--json-events", "--out", dir.Path, "--verbose"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("\"type\":\"fill\"", r.Stdout, StringComparison.Ordinal); // it did trade, signing with that secret
        Assert.DoesNotContain(secret, r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, r.Stderr, StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(dir.Path))
        {
            Assert.DoesNotContain(secret, File.ReadAllText(file), StringComparison.Ordinal);
        }

        // A refused run (binance without --confirm-live) does not echo it either.
        var refused = CliRunner.Run(context, "live", "--exchange", "binance");
        refused.AssertUsageError("--confirm-live");
        Assert.DoesNotContain(secret, refused.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--exchange kraken", "--exchange: expected sim, binance or binance-testnet")]
    [InlineData("--duration soon", "--duration: expected a positive duration")]
    [InlineData("--duration 0s", "--duration: expected a positive duration")]
    [InlineData("--stop-timeout later", "--stop-timeout: expected a positive duration")]
    [InlineData("--max-order-notional -5", "--max-order-notional: expected a positive number")]
    [InlineData("--interval 7m", "--interval: the data is 1h")]
    [InlineData("--cash 0", "--cash: expected a positive amount")]
    [InlineData("--sim-url ftp://x", "--sim-url: expected http://host:port")]
    public void Usage_errors_are_one_line_and_exit_2(string args, string expected) =>
        CliRunner.Run(["live", .. args.Split(' ')]).AssertUsageError(expected);

    [Fact]
    public void Binance_with_a_key_and_paper_needs_no_confirmation_and_no_order_key()
    {
        var context = CliRunner.WithEnvironment(("QUANT_BINANCE_API_KEY", "k"), ("QUANT_BINANCE_API_SECRET", "s"));
        var r = CliRunner.Run(context, "live", "--exchange", "binance", "--paper", "--rest-url", "http://127.0.0.1:1");
        r.AssertOneLineError(4, "127.0.0.1:1"); // past the --confirm-live check: it went for market data
    }

    [Fact]
    public void Binance_testnet_without_a_key_trades_on_paper_and_only_needs_market_data()
    {
        // No key configured: not refused, but paper trading, which goes for the public market data first (unreachable here).
        var r = CliRunner.Run(CliRunner.WithEnvironment(), "live", "--exchange", "binance-testnet", "--rest-url", "http://127.0.0.1:1");
        r.AssertOneLineError(4, "127.0.0.1:1");
        Assert.DoesNotContain("QUANT_BINANCE_API_KEY", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Trading.Live.Engine.LiveStopReason.StrategyFailed, 5, "strategy s threw in OnCandle: InvalidOperationException: x")]
    [InlineData(Trading.Live.Engine.LiveStopReason.Failed, 1, "the user data stream ended")]
    [InlineData(Trading.Live.Engine.LiveStopReason.KillSwitch, 0, null)]
    [InlineData(Trading.Live.Engine.LiveStopReason.Requested, 0, null)]
    public void A_finished_run_exits_by_how_it_ended(Trading.Live.Engine.LiveStopReason reason, int code, string? error)
    {
        var result = new Trading.Live.Engine.LiveRunResult(reason, error, [], 0, 0, 0, 0, 0, default, 0, 0, 0, 0, 0, 0);
        if (code == 0)
        {
            Assert.Equal(0, Quant.Commands.LiveCommand.ExitCodeOf(result));
            return;
        }

        var e = Assert.Throws<Quant.Cli.CliException>(() => Quant.Commands.LiveCommand.ExitCodeOf(result));
        Assert.Equal((code, error), (e.ExitCode, e.Message));
    }

    [Fact]
    public void Help_names_the_exit_codes()
    {
        var r = CliRunner.Run("live", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("5 the strategy threw", r.Stdout.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("4 the venue cannot be reached", r.Stdout.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_venue_that_cannot_be_reached_exits_4()
    {
        var r = CliRunner.Run("live", "--sim-url", "http://127.0.0.1:1");
        r.AssertOneLineError(4, "127.0.0.1:1");
    }
}
