using Trading.Sim.Tests.Support;
using static Trading.Sim.Tests.Support.TestCandles;

namespace Trading.Sim.Tests;

/// <summary>
/// The MARKET fill rule: <c>touch</c> (Binance: at once, at the best price) and <c>next-print</c> (acknowledged NEW, then
/// filled at the next trade print; after a kline close that is the next candle's open, the backtest's fill).
/// </summary>
public sealed class MarketFillTests
{
    private static Dictionary<string, object> Buy(string key, string value) =>
        new() { ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "MARKET", [key] = value };

    [Fact]
    public async Task Touch_fills_at_once_at_the_best_price()
    {
        await using var h = await SimHarness.StartAsync(o => o with { SpreadBps = 100 });
        h.Server.StepCandles(1); // close of candle 0 at 105: ask = 105 + 0.525 rounded up to the tick = 105.53
        var c = await h.ConnectAsync("/ws-api/v3");
        var r = (await c.CallAsync("order.place", h.Signed(Buy("quantity", "1")))).GetProperty("result");
        Assert.Equal("FILLED", r.GetProperty("status").GetString());
        Assert.Equal("105.53000000", r.GetProperty("fills")[0].GetProperty("price").GetString());
    }

    [Fact]
    public async Task Next_print_acknowledges_new_then_fills_at_the_next_candles_open()
    {
        await using var h = await SimHarness.StartAsync(o => o with { MarketFill = MarketFill.NextPrint });
        h.Server.StepCandles(1); // candle 0 closed at 105; the next print is candle 1's open, 105
        var c = await h.ConnectAsync("/ws-api/v3");
        await c.CallAsync("userDataStream.subscribe.signature", h.Signed([]));
        var r = (await c.CallAsync("order.place", h.Signed(Buy("quantity", "1")))).GetProperty("result");
        Assert.Equal(("NEW", 0), (r.GetProperty("status").GetString(), r.GetProperty("fills").GetArrayLength()));
        var open = (await c.CallAsync("openOrders.status", h.Signed([]))).GetProperty("result");
        Assert.Equal(1, open.GetArrayLength());

        var qq = (await c.CallAsync("order.place", h.Signed(Buy("quoteOrderQty", "210")))).GetProperty("result");
        Assert.Equal("NEW", qq.GetProperty("status").GetString());
        h.Server.Step(); // candle 1 opens at 105
        var status = (await c.CallAsync("order.status", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = 1 }))).GetProperty("result");
        Assert.Equal(("FILLED", "105.00000000"), (status.GetProperty("status").GetString(), status.GetProperty("cummulativeQuoteQty").GetString()));
        var trades = (await c.CallAsync("myTrades", h.Signed(new() { ["symbol"] = "BTCUSDT" }))).GetProperty("result");
        Assert.Equal([("105.00000000", "1.00000000", Start + Hour), ("105.00000000", "2.00000000", Start + Hour)],
            trades.EnumerateArray().Select(t => (t.GetProperty("price").GetString(), t.GetProperty("qty").GetString(), t.GetProperty("time").GetInt64())));
        Assert.All(trades.EnumerateArray(), t => Assert.False(t.GetProperty("isMaker").GetBoolean()));
    }

    [Fact]
    public async Task Next_print_expires_an_order_the_account_can_no_longer_pay_for()
    {
        // 1000 USDT: 10 BTC at 95 is 950 (accepted), but the next print is 110 → 1100 > 1000: the order expires.
        await using var h = await SimHarness.StartAsync(o => o with { MarketFill = MarketFill.NextPrint });
        h.Server.Step();
        var c = await h.ConnectAsync("/ws-api/v3");
        Assert.Equal("NEW", (await c.CallAsync("order.place", h.Signed(Buy("quantity", "10")))).GetProperty("result").GetProperty("status").GetString());
        h.Server.Step();
        var status = (await c.CallAsync("order.status", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = 1 }))).GetProperty("result");
        Assert.Equal("EXPIRED", status.GetProperty("status").GetString());
        var usdt = (await c.CallAsync("account.status", h.Signed([]))).GetProperty("result").GetProperty("balances")
            .EnumerateArray().Single(b => b.GetProperty("asset").GetString() == "USDT");
        Assert.Equal(("1000.00000000", "0.00000000"), (usdt.GetProperty("free").GetString(), usdt.GetProperty("locked").GetString()));
    }

}
