using System.Globalization;
using System.Text.Json;
using Quant.Cli;

namespace Quant.Tests;

/// <summary>
/// Parity of the example strategy (examples/MyStrategy, ema-trend, loaded with --strategy-assembly: market entries, a
/// stop/take-profit OCO exit placed live as a native order list, a max-hold alarm) between <c>quant live --exchange sim
/// --lockstep</c> (market fill at the touch) and a trade-on-close <c>quant backtest</c>, three months, a fixed quantity
/// (so that one trade's exit does not resize the next). trades.csv is compared row by row. A row may differ only in the
/// ways named below, each checked against the candles it happened on; any other difference fails with the row:
/// <list type="number">
/// <item><b>close-time</b> (every fill at a candle's close): live carries Binance's kline close time, 1 ms before the
/// backtest's next open, so the printed second is one earlier.</item>
/// <item><b>take-profit print</b>: the limit leg fills at its price in both, but live at the moment of the trade print
/// that reached it (open + 0, 20 or 40 min of an hourly candle), the backtest at the candle's open time.</item>
/// <item><b>stop print</b>: the simulator triggers the stop at a print at or through it and fills at that print's price
/// (the touch: one of the candle's open, high, low, close), the backtest at the stop price (or the open, if the candle
/// opened through it) — the live price is never better.</item>
/// <item><b>max-hold one candle earlier</b>: live, the alarm fires when the replay clock reaches its due time (max-hold
/// after the entry fill), at the close of the candle it falls in — before that candle reaches the strategy — and sells
/// at that close; the backtest's alarm fires a candle later and its exit, an order from a timer, fills at the next
/// open. (Against the simulator the entry's time is 1 ms earlier, see 1, so the alarm is due at the close print.)</item>
/// <item><b>max-hold wins a tie</b>: when the alarm and the cross-down exit fall on the same close, live's alarm (1 ms
/// earlier) fires first and names the exit; the same fill, reason max-hold instead of signal.</item>
/// </list>
/// Where a row's exit price is the same, its PnL and fees are the same; they are compared then. Paper trading
/// (<c>--paper</c>: the simulator serves only the market) differs the same ways: its fill model at the quote after
/// each print fills a stop at that print's price and a resting limit at its own price — but without the close-time
/// difference: a paper fill on a close carries the engine's clock, the candle's close, as the backtest does.
/// </summary>
[Collection(ExampleStrategyTests.BuildCollection)]
public sealed class LiveExampleParityTests(ExampleStrategyTests.BuiltExample example) : IClassFixture<ExampleStrategyTests.BuiltExample>
{
    private const long Hour = 3_600_000;

    private static readonly Dictionary<long, (decimal Open, decimal High, decimal Low, decimal Close)> Candles = LoadCandles();

    [Theory]
    [InlineData("qty=0.1", "quote", 0, false)]
    [InlineData("qty=0.1,stop-pct=0.02,take-pct=0.03,max-hold=24", "quote", 24, false)]
    [InlineData("qty=0.1,stop-pct=0.02,take-pct=0.03", "received", 120, false)]
    [InlineData("qty=0.1,stop-pct=0.02,take-pct=0.03,max-hold=24", "received", 24, true)]
    public void Ema_trend_with_oco_exits_matches_the_backtest_but_for_the_named_differences(string parameters, string feeAsset, int maxHoldHours, bool paper)
    {
        using var liveDir = new TempFolder();
        using var backtestDir = new TempFolder();
        string[] common = ["--from", "2024-01-01", "--to", "2024-04-01", "--cash", "10000", "--fee", "0.001", "--strategy-assembly", example.Dll, "--strategy", "ema-trend", "--param", parameters];
        string[] mode = paper ? ["--paper"] : [];
        var l = CliRunner.Run(["live", "--exchange", "sim", .. mode, "--lockstep", "--spread-bps", "0", "--sim-market-fill", "touch", "--sim-fee-asset", feeAsset, .. common, "--out", liveDir.Path]);
        Assert.True(l.ExitCode == 0, l.Stderr);
        var b = CliRunner.Run(["backtest", "--trade-on-close", "--fee-asset", feeAsset, .. common, "--out", backtestDir.Path]);
        Assert.True(b.ExitCode == 0, b.Stderr);
        Assert.Equal(0, JsonDocument.Parse(File.ReadAllText(Path.Combine(liveDir.Path, "summary.json"))).RootElement.GetProperty("orders_rejected").GetInt32());

        var live = File.ReadAllLines(Path.Combine(liveDir.Path, "trades.csv"));
        var back = File.ReadAllLines(Path.Combine(backtestDir.Path, "trades.csv"));
        Assert.Equal(back[0], live[0]);
        Assert.True(back.Length > 10, $"the backtest made {back.Length - 1} trades: too few to compare");
        Assert.Equal(back.Length, live.Length);
        var named = new Dictionary<string, int>();
        var maxHold = maxHoldHours * Hour;
        for (var i = 1; i < back.Length; i++)
        {
            var lv = live[i].Split(',');
            var bt = back[i].Split(',');
            var row = $"row {i}: live '{live[i]}', backtest '{back[i]}'";
            // The entry (a market order on a close) is always the same, at the close-time convention.
            Assert.True(Ms(lv[0]) + (paper ? 0 : 1000) == Ms(bt[0]) && lv[2] == bt[2] && lv[3] == bt[3] && lv[4] == bt[4], row);
            var kind = ExitDifference(lv, bt, maxHold, paper ? 0 : 1);
            Assert.True(kind is not null, "unexplained difference, " + row);
            named[kind!] = named.GetValueOrDefault(kind!) + 1;
            if (lv[5] == bt[5])
            {
                Assert.True(Math.Abs(Dec(lv[6]) - Dec(bt[6])) <= 0.00000002m && Math.Abs(Dec(lv[8]) - Dec(bt[8])) <= 0.00000002m, "PnL or fees, " + row);
            }
        }

        // What was seen, for the log of a failing run (and proof that the exits were exercised).
        Assert.True(named.ContainsKey("take-profit print") || named.ContainsKey("stop print"), string.Join(", ", named.Select(p => $"{p.Key} ×{p.Value}")));
    }

    /// <summary>Which named difference explains the exit fields of a row (identical up to close-time included), or null.</summary>
    /// <param name="lag">How much earlier than the backtest's a close fill is stamped: 1 ms against the simulator (the
    /// kline close time), 0 on paper (the engine's clock at the close).</param>
    private static string? ExitDifference(string[] lv, string[] bt, long maxHold, long lag)
    {
        var (liveReason, backReason) = (lv[9], bt[9]);
        if (bt[1].Length == 0 || lv[1].Length == 0)
        {
            return lv[1] == bt[1] && liveReason == backReason && lv[5] == bt[5] ? "close-time" : null; // the open trade, marked at the last close
        }

        long liveExit = Ms(lv[1]), backExit = Ms(bt[1]);
        var samePrice = lv[5] == bt[5];
        var closeShift = lag == 0 ? 0 : 1000;
        if (liveReason == backReason && liveExit + closeShift == backExit && samePrice)
        {
            return lag == 0 ? "same" : "close-time";
        }

        var candle = backExit - (backExit % Hour);
        var inCandle = liveExit >= candle && liveExit < candle + Hour && Candles.ContainsKey(candle);
        if (liveReason == backReason && liveReason == "take-profit" && inCandle && samePrice && backExit == candle)
        {
            return "take-profit print";
        }

        if (liveReason == backReason && liveReason == "stop" && inCandle && backExit == candle)
        {
            var c = Candles[candle];
            var price = Dec(lv[5]);
            return price <= Dec(bt[5]) && (price == c.Open || price == c.High || price == c.Low || price == c.Close) ? "stop print" : null;
        }

        // The alarm fires max-hold after the live entry fill, at a candle's close print, and sells at that close.
        var liveEntry = Ms(lv[0]) + (lag == 0 ? 0 : 999); // the fill's millisecond
        var due = liveEntry + maxHold;
        var alarmAtClose = maxHold > 0 && liveReason == "max-hold" && liveExit == due - (due % 1000)
            && Candles.TryGetValue(due + lag - Hour, out var closing) && Dec(lv[5]) == closing.Close;
        if (alarmAtClose && backReason == "max-hold" && backExit == due + lag + Hour
            && Candles.TryGetValue(backExit, out var next) && Dec(bt[5]) == next.Open)
        {
            return "max-hold one candle earlier";
        }

        return alarmAtClose && backReason == "signal" && liveExit + closeShift == backExit && samePrice ? "max-hold wins a tie" : null;
    }

    private static Dictionary<long, (decimal, decimal, decimal, decimal)> LoadCandles()
    {
        var path = Path.Combine(DataPaths.RepositoryOf(AppContext.BaseDirectory)!, "data", "BTCUSDT_1h_2024.csv");
        var candles = new Dictionary<long, (decimal, decimal, decimal, decimal)>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            candles[long.Parse(f[0], CultureInfo.InvariantCulture)] = (Dec(f[1]), Dec(f[2]), Dec(f[3]), Dec(f[4]));
        }

        return candles;
    }

    private static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static long Ms(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
}
