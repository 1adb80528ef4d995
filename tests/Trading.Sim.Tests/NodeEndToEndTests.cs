using System.Text.Json;
using Trading.Core.Data;
using Trading.Sim.Tests.Support;

namespace Trading.Sim.Tests;

/// <summary>
/// Binance's official JavaScript connector (@binance/spot, unmodified) against the simulator replaying the shipped
/// data in real time: streams, a signed order over the WebSocket API with its user-data report, and a signed order
/// over REST (js/binance-spot-e2e.cjs). The server runs in-process on the system clock, because Node signs with it.
/// </summary>
public sealed class NodeEndToEndTests
{
    [NodeE2EFact]
    public async Task Official_javascript_connector_streams_and_trades_against_the_simulator()
    {
        var series = CandleLoader.Load(Path.Combine(RepoPaths.Root, "data", "BTCUSDT_1h_2024.csv"));
        await using var server = await SimServer.StartAsync(new SimOptions
        {
            Candles = series.Candles,
            IntervalMs = series.IntervalMs,
            Speed = 36_000, // ten market hours per second: a few events every 100 ms
            StartCandle = 200,
        });
        var script = Path.Combine(RepoPaths.Root, "tests", "Trading.Sim.Tests", "js", "binance-spot-e2e.cjs");
        using var node = new ChildProcess("node", [script], RepoPaths.Root, new Dictionary<string, string>
        {
            ["SIM_REST"] = server.RestUrl.ToString().TrimEnd('/'),
            ["SIM_WS_API"] = server.WebSocketApiUrl.ToString(),
            ["SIM_STREAMS"] = server.StreamUrl.ToString().TrimEnd('/'),
            ["SIM_KEY"] = SimOptions.DefaultApiKey,
            ["SIM_SECRET"] = SimOptions.DefaultApiSecret,
        });
        var code = await node.WaitForExitAsync(TimeSpan.FromSeconds(90));
        var steps = node.Stdout.Split('\n').Where(l => l.StartsWith("{\"step\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToDictionary(e => e.GetProperty("step").GetString()!);
        Assert.True(code == 0, $"node exited {code}\nstdout:\n{node.Stdout}\nstderr:\n{node.Stderr}");

        var s = steps["streams"];
        Assert.Equal("trade", s.GetProperty("tradeEvent").GetString());
        Assert.Equal("kline", s.GetProperty("klineEvent").GetString());
        Assert.Equal("1h", s.GetProperty("klineInterval").GetString());
        Assert.Equal("boolean", s.GetProperty("klineClosedType").GetString());
        Assert.Equal(s.GetProperty("bookBid").GetString(), s.GetProperty("bookAsk").GetString()); // spread 0

        var w = steps["websocketApi"];
        Assert.Equal("FILLED", w.GetProperty("orderStatus").GetString());
        Assert.Equal("node-ws-1", w.GetProperty("clientOrderId").GetString());
        Assert.Equal(1, w.GetProperty("fills").GetInt32());
        Assert.Equal(["REQUEST_WEIGHT", "ORDERS", "ORDERS"], w.GetProperty("rateLimitTypes").EnumerateArray().Select(x => x.GetString()!).ToArray());
        Assert.Equal("FILLED", w.GetProperty("reportStatus").GetString());
        Assert.Equal("number", w.GetProperty("reportTradeIdType").GetString());
        Assert.True(w.GetProperty("sawAccountPosition").GetBoolean());
        Assert.Equal("FILLED", w.GetProperty("queriedStatus").GetString());
        Assert.Equal("0.00099900", w.GetProperty("btcFree").GetString()); // bought 0.001, paid 0.1 % of it in BTC (the asset received)

        var r = steps["rest"];
        Assert.Equal("number", r.GetProperty("serverTimeType").GetString());
        Assert.Equal(5, r.GetProperty("klines").GetInt32());
        Assert.Equal(12, r.GetProperty("klineColumns").GetInt32());
        Assert.Equal("FILLED", r.GetProperty("orderStatus").GetString());
        Assert.Equal("node-rest-1", r.GetProperty("clientOrderId").GetString());
        Assert.Equal("0.00049900", r.GetProperty("btcFree").GetString()); // 0.000999 − 0.0005 sold over REST (its fee is in USDT)
        Assert.Equal(2, r.GetProperty("myTrades").GetInt32());
        Assert.Equal("Signature for this request is not valid.", r.GetProperty("badSignature").GetString());
        Assert.True(steps.ContainsKey("done"));
    }
}
