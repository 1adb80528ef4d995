using System.Net;
using System.Text.Json;
using Trading.Sim.Tests.Support;
using static Trading.Sim.Tests.Support.TestCandles;

namespace Trading.Sim.Tests;

/// <summary>
/// What an engine needs to reconcile after a restart, in the shapes of rest-api.md / web-socket-api.md: allOrders,
/// cancel all open orders on a symbol, myTrades by orderId / fromId, and exchangeInfo's rate limits.
/// Account: 1000 USDT, 1 BTC; after one step the market stands at 95.
/// </summary>
public sealed class ReconcileTests
{
    private static Dictionary<string, object> Limit(string side, string price, string qty = "0.1") =>
        new() { ["symbol"] = "BTCUSDT", ["side"] = side, ["type"] = "LIMIT", ["timeInForce"] = "GTC", ["quantity"] = qty, ["price"] = price };

    private static async Task<(SimHarness H, WsClient C)> Open()
    {
        var h = await SimHarness.StartAsync();
        h.Server.Step();
        var c = await h.ConnectAsync("/ws-api/v3");
        return (h, c);
    }

    private static JsonElement Ok(JsonElement reply)
    {
        Assert.True(reply.GetProperty("status").GetInt32() == 200, reply.ToString());
        return reply.GetProperty("result");
    }

    [Fact]
    public async Task All_orders_lists_every_order_from_an_order_id_or_the_most_recent()
    {
        var (h, c) = await Open();
        await using var sim = h;
        Ok(await c.CallAsync("order.place", h.Signed(new() { ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "MARKET", ["quantity"] = "0.1" })));
        Ok(await c.CallAsync("order.place", h.Signed(Limit("BUY", "50"))));
        var third = Ok(await c.CallAsync("order.place", h.Signed(Limit("BUY", "60"))));
        Ok(await c.CallAsync("order.cancel", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = third.GetProperty("orderId").GetInt64() })));

        var all = Ok(await c.CallAsync("allOrders", h.Signed(new() { ["symbol"] = "BTCUSDT" })));
        Assert.Equal(["FILLED", "NEW", "CANCELED"], all.EnumerateArray().Select(o => o.GetProperty("status").GetString()));
        var from2 = Ok(await c.CallAsync("allOrders", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = 2, ["limit"] = 1 })));
        Assert.Equal([2L], from2.EnumerateArray().Select(o => o.GetProperty("orderId").GetInt64()));
        var recent = Ok(await c.CallAsync("allOrders", h.Signed(new() { ["symbol"] = "BTCUSDT", ["limit"] = 2 })));
        Assert.Equal([2L, 3L], recent.EnumerateArray().Select(o => o.GetProperty("orderId").GetInt64()));
        // The same item shape as order.status.
        var status = Ok(await c.CallAsync("order.status", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = 2 })));
        Assert.Equal(status.GetRawText(), all[1].GetRawText());

        var rest = await h.SendRestAsync(HttpMethod.Get, "/api/v3/allOrders", h.SignedQuery("symbol=BTCUSDT"));
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal(all.GetRawText(), (await SimHarness.JsonAsync(rest)).GetRawText());
        var span = await c.CallAsync("allOrders", h.Signed(new() { ["symbol"] = "BTCUSDT", ["startTime"] = Start, ["endTime"] = Start + 90_000_000 }));
        Assert.Equal(-1127, span.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Cancel_all_cancels_every_open_order_and_reports_each()
    {
        var (h, c) = await Open();
        await using var sim = h;
        Ok(await c.CallAsync("userDataStream.subscribe.signature", h.Signed([])));
        Ok(await c.CallAsync("order.place", h.Signed(Limit("BUY", "50"))));
        Ok(await c.CallAsync("order.place", h.Signed(Limit("SELL", "200"))));
        c.Events.Clear();
        var cancelled = Ok(await c.CallAsync("openOrders.cancelAll", h.Signed(new() { ["symbol"] = "BTCUSDT" })));
        Assert.Equal([(1L, "CANCELED", "BUY"), (2L, "CANCELED", "SELL")], cancelled.EnumerateArray()
            .Select(o => (o.GetProperty("orderId").GetInt64(), o.GetProperty("status").GetString(), o.GetProperty("side").GetString())));
        Assert.True(cancelled[0].TryGetProperty("origClientOrderId", out _));
        Assert.Empty(Ok(await c.CallAsync("openOrders.status", h.Signed([]))).EnumerateArray());
        // (order 2's NEW report followed its reply, so it is in the backlog too)
        var reports = c.Events.Select(e => e.GetProperty("event")).Where(e => e.GetProperty("e").GetString() == "executionReport" && e.GetProperty("x").GetString() != "NEW")
            .Select(e => (e.GetProperty("i").GetInt64(), e.GetProperty("x").GetString())).ToList();
        Assert.Equal([(1L, "CANCELED"), (2L, "CANCELED")], reports);

        // Nothing left to cancel: -2011, over REST too.
        var none = await h.SendRestAsync(HttpMethod.Delete, "/api/v3/openOrders", h.SignedQuery("symbol=BTCUSDT"));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(-2011, (await SimHarness.JsonAsync(none)).GetProperty("code").GetInt32());
        Ok(await c.CallAsync("order.place", h.Signed(Limit("BUY", "50"))));
        var rest = await h.SendRestAsync(HttpMethod.Delete, "/api/v3/openOrders", h.SignedQuery("symbol=BTCUSDT"));
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal(1, (await SimHarness.JsonAsync(rest)).GetArrayLength());
    }

    [Fact]
    public async Task My_trades_by_order_id_and_from_id_and_the_documented_combinations_only()
    {
        var (h, c) = await Open();
        await using var sim = h;
        var buy = new Dictionary<string, object> { ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "MARKET", ["quantity"] = "0.1" };
        var first = Ok(await c.CallAsync("order.place", h.Signed(new(buy))));
        Ok(await c.CallAsync("order.place", h.Signed(new(buy))));
        Ok(await c.CallAsync("order.place", h.Signed(new(buy))));
        var all = Ok(await c.CallAsync("myTrades", h.Signed(new() { ["symbol"] = "BTCUSDT" })));
        var ids = all.EnumerateArray().Select(t => t.GetProperty("id").GetInt64()).ToArray();
        Assert.Equal(3, ids.Length);

        var byOrder = Ok(await c.CallAsync("myTrades", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = first.GetProperty("orderId").GetInt64() })));
        Assert.Equal([ids[0]], byOrder.EnumerateArray().Select(t => t.GetProperty("id").GetInt64()));
        var fromId = Ok(await c.CallAsync("myTrades", h.Signed(new() { ["symbol"] = "BTCUSDT", ["fromId"] = ids[1], ["limit"] = 1 })));
        Assert.Equal([ids[1]], fromId.EnumerateArray().Select(t => t.GetProperty("id").GetInt64()));
        var recent = Ok(await c.CallAsync("myTrades", h.Signed(new() { ["symbol"] = "BTCUSDT", ["limit"] = 1 })));
        Assert.Equal([ids[2]], recent.EnumerateArray().Select(t => t.GetProperty("id").GetInt64()));
        var bad = await c.CallAsync("myTrades", h.Signed(new() { ["symbol"] = "BTCUSDT", ["fromId"] = ids[0], ["startTime"] = Start }));
        Assert.Equal(-1128, bad.GetProperty("error").GetProperty("code").GetInt32());

        // With orderId the weight is 5, without it 20.
        var w5 = await c.CallAsync("myTrades", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = 1 }));
        var w20 = await c.CallAsync("myTrades", h.Signed(new() { ["symbol"] = "BTCUSDT" }));
        int Used(JsonElement r) => r.GetProperty("rateLimits")[0].GetProperty("count").GetInt32();
        Assert.Equal(20, Used(w20) - Used(w5));
    }

    [Fact]
    public async Task Exchange_info_lists_raw_requests_on_rest_and_connections_on_the_websocket_api()
    {
        var (h, c) = await Open();
        await using var sim = h;
        string Kinds(JsonElement info) => string.Join(',', info.GetProperty("rateLimits").EnumerateArray()
            .Select(l => $"{l.GetProperty("rateLimitType").GetString()}/{l.GetProperty("intervalNum").GetInt32()}{l.GetProperty("interval").GetString()}/{l.GetProperty("limit").GetInt32()}"));
        var rest = await SimHarness.JsonAsync(await h.Http.GetAsync("/api/v3/exchangeInfo", SimHarness.Timeout()));
        Assert.Equal("REQUEST_WEIGHT/1MINUTE/6000,ORDERS/10SECOND/50,ORDERS/1DAY/160000,RAW_REQUESTS/5MINUTE/61000", Kinds(rest));
        var ws = Ok(await c.CallAsync("exchangeInfo"));
        Assert.Equal("REQUEST_WEIGHT/1MINUTE/6000,ORDERS/10SECOND/50,ORDERS/1DAY/160000,CONNECTIONS/5MINUTE/300", Kinds(ws));
    }

    [Fact]
    public async Task Raw_requests_and_connections_limits_are_enforced()
    {
        await using var h = await SimHarness.StartAsync(o => o with { RawRequestsPer5Minutes = 2, ConnectionsPer5Minutes = 1 });
        Assert.Equal(HttpStatusCode.OK, (await h.Http.GetAsync("/api/v3/ping", SimHarness.Timeout())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Http.GetAsync("/api/v3/ping", SimHarness.Timeout())).StatusCode);
        var third = await h.Http.GetAsync("/api/v3/ping", SimHarness.Timeout());
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("Too many requests; current limit is 2 requests per 5 MINUTE.", (await SimHarness.JsonAsync(third)).GetProperty("msg").GetString());
        await h.ConnectAsync("/ws-api/v3");
        await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => h.ConnectAsync("/ws-api/v3"));
    }
}
