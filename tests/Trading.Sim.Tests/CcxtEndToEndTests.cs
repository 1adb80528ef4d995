using System.Text.Json;
using Trading.Core.Data;
using Trading.Sim.Tests.Support;

namespace Trading.Sim.Tests;

/// <summary>
/// A real npm client library, ccxt (its Binance WebSocket client, unmodified), watches trades, klines, the 24hr ticker
/// and the order book (REST snapshot + @depth diffs, synchronised by update ids) against the simulator replaying the
/// shipped data in real time (js/ccxt-watch-e2e.cjs). Each watch call returning at all is the point: before the ticker
/// and depth streams existed, watchTicker and watchOrderBook waited forever.
/// </summary>
public sealed class CcxtEndToEndTests
{
    [CcxtE2EFact]
    public async Task Ccxt_watches_trades_klines_ticker_and_book()
    {
        var series = CandleLoader.Load(Path.Combine(RepoPaths.Root, "data", "BTCUSDT_1h_2024.csv"));
        await using var server = await SimServer.StartAsync(new SimOptions
        {
            Candles = series.Candles,
            IntervalMs = series.IntervalMs,
            Speed = 36_000,
            StartCandle = 200,
        });
        var script = Path.Combine(RepoPaths.Root, "tests", "Trading.Sim.Tests", "js", "ccxt-watch-e2e.cjs");
        using var node = new ChildProcess("node", [script], RepoPaths.Root, new Dictionary<string, string>
        {
            ["SIM_REST"] = server.RestUrl.ToString().TrimEnd('/'),
            ["SIM_STREAMS"] = server.StreamUrl.ToString().TrimEnd('/'),
            ["NODE_PATH"] = CcxtE2EFactAttribute.NodePath!,
        });
        var code = await node.WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.True(code == 0, $"node exited {code}\nstdout:\n{node.Stdout}\nstderr:\n{node.Stderr}");
        var line = node.Stdout.Split('\n').Single(l => l.StartsWith("{\"step\":\"ccxt\"", StringComparison.Ordinal));
        var r = JsonDocument.Parse(line).RootElement;
        Assert.True(r.GetProperty("tradePrice").GetDouble() > 0);
        Assert.Equal(6, r.GetProperty("candleColumns").GetInt32()); // [time, open, high, low, close, volume]
        Assert.True(r.GetProperty("tickerHigh").GetDouble() >= r.GetProperty("tickerLast").GetDouble());
        Assert.Equal(100, r.GetProperty("bookBids").GetInt32()); // the synthetic book's 100 levels a side
        Assert.Equal(100, r.GetProperty("bookAsks").GetInt32());
        Assert.True(r.GetProperty("bestBid").GetDouble() <= r.GetProperty("bestAsk").GetDouble());
    }
}
