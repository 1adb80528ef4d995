using System.Net;
using System.Text.Json;
using Trading.Sim.Tests.Support;
using static Trading.Sim.Tests.Support.TestCandles;

namespace Trading.Sim.Tests;

/// <summary>
/// STOP_LOSS[_LIMIT], TAKE_PROFIT[_LIMIT] and OCO order lists as web-socket-api.md / user-data-stream.md describe them,
/// triggered along the intra-candle path. Account: 1000 USDT, 1 BTC; the market stands at 95 after one step; the
/// next prints are 110, 105, (close), 105, 108, 90, 92.
/// </summary>
public sealed class StopAndOcoTests
{
    private static async Task<(SimHarness H, WsClient C)> Open()
    {
        var h = await SimHarness.StartAsync();
        h.Server.Step();
        var c = await h.ConnectAsync("/ws-api/v3");
        await c.CallAsync("userDataStream.subscribe.signature", h.Signed([]));
        return (h, c);
    }

    private static Dictionary<string, object> Order(string side, string type, string qty, string? stop = null, string? price = null, string? tif = null)
    {
        var ps = new Dictionary<string, object> { ["symbol"] = "BTCUSDT", ["side"] = side, ["type"] = type, ["quantity"] = qty };
        if (stop is not null)
        {
            ps["stopPrice"] = stop;
        }

        if (price is not null)
        {
            ps["price"] = price;
        }

        if (tif is not null)
        {
            ps["timeInForce"] = tif;
        }

        return ps;
    }

    private static JsonElement Ok(JsonElement reply)
    {
        Assert.True(reply.GetProperty("status").GetInt32() == 200, reply.ToString());
        return reply.GetProperty("result");
    }

    private static async Task<JsonElement> Status(SimHarness h, WsClient c, long id) =>
        Ok(await c.CallAsync("order.status", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = id })));

    private static async Task<List<string>> Reports(WsClient c)
    {
        await c.CallAsync("ping");
        var list = c.Events.Select(e => e.GetProperty("event")).Select(e => e.GetProperty("e").GetString() switch
        {
            "executionReport" => $"{e.GetProperty("i").GetInt64()}:{e.GetProperty("x").GetString()}{(e.GetProperty("w").GetBoolean() ? "+w" : "")}{(e.TryGetProperty("eR", out var r) ? ":" + r.GetString() : "")}",
            "listStatus" => $"list:{e.GetProperty("l").GetString()}",
            _ => "pos",
        }).Where(s => s != "pos").ToList();
        c.Events.Clear();
        return list;
    }

    [Fact]
    public async Task Stop_loss_waits_untriggered_then_fills_at_the_touch_when_a_print_reaches_it()
    {
        var (h, c) = await Open();
        await using var sim = h;
        var placed = Ok(await c.CallAsync("order.place", h.Signed(Order("SELL", "STOP_LOSS", "0.5", stop: "92"))));
        Assert.False(placed.TryGetProperty("status", out _)); // ACK is the default for stop orders
        var s = await Status(h, c, 1);
        Assert.Equal(("NEW", "STOP_LOSS", "92.00000000", false, -1L), (s.GetProperty("status").GetString(), s.GetProperty("type").GetString(),
            s.GetProperty("stopPrice").GetString(), s.GetProperty("isWorking").GetBoolean(), s.GetProperty("workingTime").GetInt64()));
        h.Server.Step(5); // 110, 105, close, 105, 108: not yet
        Assert.Equal("NEW", (await Status(h, c, 1)).GetProperty("status").GetString());
        h.Server.Step(); // 90 ≤ 92: triggers, sells at the bid, 90
        s = await Status(h, c, 1);
        Assert.Equal(("FILLED", "45.00000000", Start + Hour + 2_400_000), (s.GetProperty("status").GetString(),
            s.GetProperty("cummulativeQuoteQty").GetString(), s.GetProperty("workingTime").GetInt64()));
        Assert.Equal(["1:NEW", "1:TRADE"], await Reports(c));
    }

    [Fact]
    public async Task Stop_limits_trigger_then_trade_at_the_touch_or_rest_and_immediate_triggers_are_refused()
    {
        var (h, c) = await Open();
        await using var sim = h;
        // A SELL stop at 100 with the last price at 95 would trigger at once.
        var refused = await c.CallAsync("order.place", h.Signed(Order("SELL", "STOP_LOSS_LIMIT", "0.1", stop: "100", price: "99", tif: "GTC")));
        Assert.Equal(-2010, refused.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("Stop price would trigger immediately.", refused.GetProperty("error").GetProperty("msg").GetString());

        // TAKE_PROFIT_LIMIT SELL stop 108 price 107: the 110 print triggers it and 107 ≤ bid 110 → fills at 110.
        Ok(await c.CallAsync("order.place", h.Signed(Order("SELL", "TAKE_PROFIT_LIMIT", "0.1", stop: "108", price: "107", tif: "GTC"))));
        // STOP_LOSS_LIMIT BUY stop 109 price 109.5: triggered at 110, 109.5 < ask 110 → rests; the 105 print fills it at 109.5.
        Ok(await c.CallAsync("order.place", h.Signed(Order("BUY", "STOP_LOSS_LIMIT", "0.1", stop: "109", price: "109.5", tif: "GTC"))));
        await Reports(c);
        h.Server.Step(); // 110
        Assert.Equal(["1:TRADE", "2:NEW+w"], await Reports(c));
        var tp = await Status(h, c, 1);
        Assert.Equal("11.00000000", tp.GetProperty("cummulativeQuoteQty").GetString());
        var sl = await Status(h, c, 2);
        Assert.Equal(("NEW", true), (sl.GetProperty("status").GetString(), sl.GetProperty("isWorking").GetBoolean()));
        h.Server.Step(); // 105
        sl = await Status(h, c, 2);
        Assert.Equal(("FILLED", "10.95000000"), (sl.GetProperty("status").GetString(), sl.GetProperty("cummulativeQuoteQty").GetString()));
    }

    [Fact]
    public async Task Oco_sell_one_order_trades_the_other_expires_with_oco_trigger_and_one_lock_covers_both()
    {
        var (h, c) = await Open();
        await using var sim = h;
        var list = Ok(await c.CallAsync("orderList.place.oco", h.Signed(new()
        {
            ["symbol"] = "BTCUSDT", ["side"] = "SELL", ["quantity"] = "0.5", ["listClientOrderId"] = "exit1",
            ["aboveType"] = "LIMIT_MAKER", ["abovePrice"] = "109",
            ["belowType"] = "STOP_LOSS_LIMIT", ["belowStopPrice"] = "93", ["belowPrice"] = "92.5", ["belowTimeInForce"] = "GTC",
        })));
        Assert.Equal(("OCO", "EXEC_STARTED", "EXECUTING", "exit1"), (list.GetProperty("contingencyType").GetString(),
            list.GetProperty("listStatusType").GetString(), list.GetProperty("listOrderStatus").GetString(), list.GetProperty("listClientOrderId").GetString()));
        var listId = list.GetProperty("orderListId").GetInt64();
        Assert.Equal(2, list.GetProperty("orders").GetArrayLength());
        Assert.All(list.GetProperty("orderReports").EnumerateArray(), o => Assert.Equal(listId, o.GetProperty("orderListId").GetInt64()));
        var btc = (await c.CallAsync("account.status", h.Signed([]))).GetProperty("result").GetProperty("balances")[0];
        Assert.Equal(("0.50000000", "0.50000000"), (btc.GetProperty("free").GetString(), btc.GetProperty("locked").GetString()));
        Assert.Equal(["1:NEW", "2:NEW+w", "list:EXEC_STARTED"], await Reports(c));

        h.Server.Step(); // 110 ≥ 109: the LIMIT_MAKER sells at 109; the stop expires
        Assert.Equal(["1:EXPIRED:OCO_TRIGGER", "list:ALL_DONE", "2:TRADE"], await Reports(c));
        Assert.Equal("EXPIRED", (await Status(h, c, 1)).GetProperty("status").GetString());
        Assert.Equal(("FILLED", listId), ((await Status(h, c, 2)).GetProperty("status").GetString(), (await Status(h, c, 2)).GetProperty("orderListId").GetInt64()));
        var balances = (await c.CallAsync("account.status", h.Signed([]))).GetProperty("result").GetProperty("balances");
        Assert.Equal(("0.50000000", "0.00000000"), (balances[0].GetProperty("free").GetString(), balances[0].GetProperty("locked").GetString()));
        Assert.Equal("1054.44550000", balances[1].GetProperty("free").GetString()); // 1000 + 54.5 − 0.0545
    }

    [Fact]
    public async Task Oco_prices_must_bracket_the_last_price_and_cancelling_one_order_cancels_the_list()
    {
        var (h, c) = await Open();
        await using var sim = h;
        var bad = await c.CallAsync("orderList.place.oco", h.Signed(new()
        {
            ["symbol"] = "BTCUSDT", ["side"] = "SELL", ["quantity"] = "0.5",
            ["aboveType"] = "LIMIT_MAKER", ["abovePrice"] = "94", ["belowType"] = "STOP_LOSS", ["belowStopPrice"] = "93",
        }));
        Assert.Equal("The relationship of the prices for the orders is not correct.", bad.GetProperty("error").GetProperty("msg").GetString());

        // A BUY OCO over REST: STOP_LOSS above (stop 100), LIMIT_MAKER below (90).
        var rest = await h.SendRestAsync(HttpMethod.Post, "/api/v3/orderList/oco", h.SignedQuery(
            "symbol=BTCUSDT&side=BUY&quantity=1&aboveType=STOP_LOSS&aboveStopPrice=100&belowType=LIMIT_MAKER&belowPrice=90"));
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        var list = await SimHarness.JsonAsync(rest);
        var ids = list.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("orderId").GetInt64()).ToArray();
        // One lock, the larger of the two: 1 × 100 USDT.
        var usdt = (await c.CallAsync("account.status", h.Signed([]))).GetProperty("result").GetProperty("balances")[1];
        Assert.Equal("100.00000000", usdt.GetProperty("locked").GetString());
        await Reports(c);
        Ok(await c.CallAsync("order.cancel", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = ids[0] })));
        Assert.Equal([$"{ids[1]}:CANCELED", $"{ids[0]}:CANCELED", "list:ALL_DONE"], await Reports(c));
        Assert.Empty(Ok(await c.CallAsync("openOrders.status", h.Signed([]))).EnumerateArray());
        usdt = (await c.CallAsync("account.status", h.Signed([]))).GetProperty("result").GetProperty("balances")[1];
        Assert.Equal(("1000.00000000", "0.00000000"), (usdt.GetProperty("free").GetString(), usdt.GetProperty("locked").GetString()));
    }
}
