using System.Text.Json;
using Trading.Sim.Tests.Support;
using static Trading.Sim.Tests.Support.TestCandles;

namespace Trading.Sim.Tests;

/// <summary>
/// The WebSocket API with a plain ClientWebSocket: envelopes, signed orders, fills worked out by hand, user data.
/// Account: 1000 USDT, 1 BTC; maker = taker = 0.1 %; the market stands at the 95 print of candle 0 after one step.
/// </summary>
public sealed class WebSocketApiTests
{
    private static async Task<(SimHarness H, WsClient C)> OpenApi(Func<SimOptions, SimOptions>? configure = null)
    {
        var h = await SimHarness.StartAsync(configure);
        h.Server.Step(); // last price 95
        return (h, await h.ConnectAsync("/ws-api/v3"));
    }

    private static Dictionary<string, object> Order(string side, string type, string? quantity = null, string? price = null,
        string? tif = null, string? clientId = null)
    {
        var ps = new Dictionary<string, object> { ["symbol"] = "BTCUSDT", ["side"] = side, ["type"] = type };
        if (quantity is not null)
        {
            ps["quantity"] = quantity;
        }

        if (price is not null)
        {
            ps["price"] = price;
        }

        if (tif is not null)
        {
            ps["timeInForce"] = tif;
        }

        if (clientId is not null)
        {
            ps["newClientOrderId"] = clientId;
        }

        return ps;
    }

    private static JsonElement Result(JsonElement reply)
    {
        Assert.True(reply.GetProperty("status").GetInt32() == 200, reply.ToString());
        return reply.GetProperty("result");
    }

    private static void AssertError(JsonElement reply, int status, int code, string msg)
    {
        Assert.Equal(status, reply.GetProperty("status").GetInt32());
        Assert.False(reply.TryGetProperty("result", out _));
        Assert.Equal(code, reply.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(msg, reply.GetProperty("error").GetProperty("msg").GetString());
    }

    [Fact]
    public async Task Time_ping_and_the_rate_limits_in_every_reply()
    {
        var (h, c) = await OpenApi();
        await using var sim = h;
        await c.SendTextAsync("""{"id":7,"method":"time"}""");
        var time = await c.ReceiveTextAsync();
        // Connecting costs 2 weight, time 1: count 3.
        Assert.Equal($$"""{"id":7,"status":200,"result":{"serverTime":{{h.Clock.NowMs}}},"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":3}]}""", time);
        var ping = await c.CallAsync("v3/ping");
        Assert.Equal("{}", Result(ping).GetRawText());
        Assert.Equal(4, ping.GetProperty("rateLimits")[0].GetProperty("count").GetInt32());
        var quiet = await c.CallAsync("ping", new() { ["returnRateLimits"] = false });
        Assert.False(quiet.TryGetProperty("rateLimits", out _));
    }

    [Fact]
    public async Task ExchangeInfo_describes_the_symbol_and_its_filters()
    {
        var (h, c) = await OpenApi();
        await using var sim = h;
        var info = Result(await c.CallAsync("exchangeInfo", new() { ["symbol"] = "BTCUSDT" }));
        var s = info.GetProperty("symbols")[0];
        Assert.Equal("BTCUSDT", s.GetProperty("symbol").GetString());
        Assert.Equal("BTC", s.GetProperty("baseAsset").GetString());
        Assert.Equal("USDT", s.GetProperty("quoteAsset").GetString());
        var filters = s.GetProperty("filters").EnumerateArray().ToDictionary(f => f.GetProperty("filterType").GetString()!);
        Assert.Equal("0.01000000", filters["PRICE_FILTER"].GetProperty("tickSize").GetString());
        Assert.Equal("0.00001000", filters["LOT_SIZE"].GetProperty("stepSize").GetString());
        Assert.Equal("5.00000000", filters["NOTIONAL"].GetProperty("minNotional").GetString());
        Assert.Equal(200, filters["MAX_NUM_ORDERS"].GetProperty("maxNumOrders").GetInt32());
        Assert.Equal(JsonValueKind.Number, info.GetProperty("serverTime").ValueKind);
        AssertError(await c.CallAsync("exchangeInfo", new() { ["symbol"] = "ETHBTC" }), 400, -1121, "Invalid symbol.");
    }

    [Fact]
    public async Task Signed_market_buy_fills_at_the_ask_and_the_user_stream_reports_it()
    {
        var (h, c) = await OpenApi();
        await using var sim = h;
        var sub = Result(await c.CallAsync("userDataStream.subscribe.signature", h.Signed([])));
        Assert.Equal("""{"subscriptionId":0}""", sub.GetRawText());

        var reply = await c.CallAsync("order.place", h.Signed(Order("BUY", "MARKET", quantity: "0.5", clientId: "buy1")));
        var r = Result(reply);
        var t = Start + 1_200_000;
        // 0.5 × 95 = 47.5 notional; a BUY pays its 0.1 % taker fee in the asset received: 0.0005 BTC. Trade ids 1 and 2 were market prints.
        Assert.Equal($$"""{"symbol":"BTCUSDT","orderId":1,"orderListId":-1,"clientOrderId":"buy1","transactTime":{{t}},"price":"0.00000000","origQty":"0.50000000","executedQty":"0.50000000","origQuoteOrderQty":"0.00000000","cummulativeQuoteQty":"47.50000000","status":"FILLED","timeInForce":"GTC","type":"MARKET","side":"BUY","workingTime":{{t}},"selfTradePreventionMode":"NONE","fills":[{"price":"95.00000000","qty":"0.50000000","commission":"0.00050000","commissionAsset":"BTC","tradeId":3}]}""",
            r.GetRawText());
        var limits = reply.GetProperty("rateLimits").EnumerateArray().Select(l => l.GetProperty("rateLimitType").GetString() + l.GetProperty("interval").GetString() + l.GetProperty("count").GetInt32()).ToArray();
        Assert.Equal(["REQUEST_WEIGHTMINUTE5", "ORDERSSECOND1", "ORDERSDAY1"], limits);

        var neu = await c.NextEventAsync();
        Assert.Equal(0, neu.GetProperty("subscriptionId").GetInt32());
        Assert.Equal($$"""{"e":"executionReport","E":{{t}},"s":"BTCUSDT","c":"buy1","S":"BUY","o":"MARKET","f":"GTC","q":"0.50000000","p":"0.00000000","P":"0.00000000","F":"0.00000000","g":-1,"C":"","x":"NEW","X":"NEW","r":"NONE","i":1,"l":"0.00000000","z":"0.00000000","L":"0.00000000","n":"0","N":null,"T":{{t}},"t":-1,"I":1,"w":false,"m":false,"M":false,"O":{{t}},"Z":"0.00000000","Y":"0.00000000","Q":"0.00000000","V":"NONE"}""",
            neu.GetProperty("event").GetRawText());
        var trade = (await c.NextEventAsync()).GetProperty("event");
        Assert.Equal("TRADE", trade.GetProperty("x").GetString());
        Assert.Equal("FILLED", trade.GetProperty("X").GetString());
        Assert.Equal("0.50000000", trade.GetProperty("l").GetString());
        Assert.Equal("95.00000000", trade.GetProperty("L").GetString());
        Assert.Equal("0.00050000", trade.GetProperty("n").GetString());
        Assert.Equal("BTC", trade.GetProperty("N").GetString());
        Assert.Equal(3, trade.GetProperty("t").GetInt64());
        Assert.False(trade.GetProperty("m").GetBoolean());
        Assert.False(trade.GetProperty("w").GetBoolean());
        Assert.Equal("47.50000000", trade.GetProperty("Z").GetString());
        Assert.Equal("47.50000000", trade.GetProperty("Y").GetString());
        var pos = (await c.NextEventAsync()).GetProperty("event");
        // 1000 − 47.5 = 952.5 USDT; 1 + 0.5 − 0.0005 BTC.
        Assert.Equal($$"""{"e":"outboundAccountPosition","E":{{t}},"u":{{t}},"B":[{"a":"BTC","f":"1.49950000","l":"0.00000000"},{"a":"USDT","f":"952.50000000","l":"0.00000000"}]}""",
            pos.GetRawText());

        var account = Result(await c.CallAsync("account.status", h.Signed([])));
        var balances = account.GetProperty("balances").EnumerateArray().ToDictionary(b => b.GetProperty("asset").GetString()!, b => b.GetProperty("free").GetString());
        Assert.Equal("952.50000000", balances["USDT"]);
        Assert.Equal("1.49950000", balances["BTC"]);
        Assert.Equal(10, account.GetProperty("takerCommission").GetInt32());
        Assert.Equal("0.00100000", account.GetProperty("commissionRates").GetProperty("taker").GetString());
    }

    [Fact]
    public async Task Resting_limit_buy_locks_funds_and_fills_as_maker_when_a_trade_crosses()
    {
        var (h, c) = await OpenApi();
        await using var sim = h;
        Result(await c.CallAsync("userDataStream.subscribe.signature", h.Signed([])));
        var r = Result(await c.CallAsync("order.place", h.Signed(Order("BUY", "LIMIT", "2", "92", "GTC", "lim"))));
        Assert.Equal("NEW", r.GetProperty("status").GetString());
        Assert.Equal(0, r.GetProperty("fills").GetArrayLength());
        c.Events.Clear();
        Assert.Equal("NEW", (await c.NextEventAsync()).GetProperty("event").GetProperty("x").GetString());
        var locked = (await c.NextEventAsync()).GetProperty("event").GetProperty("B")[1];
        // 2 × 92 = 184 locked (the fee will be paid in BTC); 1000 − 184 = 816 free.
        Assert.Equal("816.00000000", locked.GetProperty("f").GetString());
        Assert.Equal("184.00000000", locked.GetProperty("l").GetString());

        var open = Result(await c.CallAsync("openOrders.status", h.Signed(new() { ["symbol"] = "BTCUSDT" })));
        Assert.Equal(1, open.GetArrayLength());
        Assert.Equal("lim", open[0].GetProperty("clientOrderId").GetString());

        // 110, 105, close, 105, 108: none reaches 92. Then 90 (2 BTC) crosses: the order fills at its own price, 92.
        h.Server.Step(5);
        Assert.Equal("NEW", Result(await c.CallAsync("order.status", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = 1 }))).GetProperty("status").GetString());
        h.Server.Step();
        var fill = (await c.NextEventAsync()).GetProperty("event");
        Assert.Equal("TRADE", fill.GetProperty("x").GetString());
        Assert.Equal("FILLED", fill.GetProperty("X").GetString());
        Assert.Equal("92.00000000", fill.GetProperty("L").GetString());
        Assert.Equal("0.00200000", fill.GetProperty("n").GetString()); // 2 BTC × 0.1 %
        Assert.True(fill.GetProperty("m").GetBoolean());
        Assert.Equal(Start + Hour + 2_400_000, fill.GetProperty("T").GetInt64());
        var after = (await c.NextEventAsync()).GetProperty("event").GetProperty("B");
        Assert.Equal("2.99800000", after[0].GetProperty("f").GetString()); // 1 + 2 − 0.002
        Assert.Equal("816.00000000", after[1].GetProperty("f").GetString());
        Assert.Equal("0.00000000", after[1].GetProperty("l").GetString());

        var status = Result(await c.CallAsync("order.status", h.Signed(new() { ["symbol"] = "BTCUSDT", ["origClientOrderId"] = "lim" })));
        Assert.Equal("FILLED", status.GetProperty("status").GetString());
        Assert.Equal("184.00000000", status.GetProperty("cummulativeQuoteQty").GetString());
        Assert.Equal("0.00000000", status.GetProperty("stopPrice").GetString());
        Assert.True(status.GetProperty("isWorking").GetBoolean());
        Assert.Equal(0, Result(await c.CallAsync("openOrders.status", h.Signed([]))).GetArrayLength());
    }

    [Fact]
    public async Task Partial_fills_follow_price_then_time_priority()
    {
        var (h, c) = await OpenApi();
        await using var sim = h;
        // Resting sells: 0.6 @ 108 (first), 0.6 @ 106, 0.6 @ 106 (later). The 110 print of 1 BTC fills 106 first, oldest first.
        Result(await c.CallAsync("order.place", h.Signed(Order("BUY", "MARKET", "1", clientId: "m"))));
        Result(await c.CallAsync("order.place", h.Signed(Order("SELL", "LIMIT", "0.6", "108", "GTC", "a"))));
        Result(await c.CallAsync("order.place", h.Signed(Order("SELL", "LIMIT", "0.6", "106", "GTC", "b"))));
        Result(await c.CallAsync("order.place", h.Signed(Order("SELL", "LIMIT", "0.6", "106", "GTC", "d"))));
        h.Server.Step(); // 110, 1 BTC
        async Task<(string Status, string Executed)> Status(string id)
        {
            var s = Result(await c.CallAsync("order.status", h.Signed(new() { ["symbol"] = "BTCUSDT", ["origClientOrderId"] = id })));
            return (s.GetProperty("status").GetString()!, s.GetProperty("executedQty").GetString()!);
        }

        Assert.Equal(("FILLED", "0.60000000"), await Status("b"));
        Assert.Equal(("PARTIALLY_FILLED", "0.40000000"), await Status("d"));
        Assert.Equal(("NEW", "0.00000000"), await Status("a"));
    }

    [Fact]
    public async Task Cancel_frees_the_lock_and_reports_both_client_ids()
    {
        var (h, c) = await OpenApi();
        await using var sim = h;
        Result(await c.CallAsync("userDataStream.subscribe.signature", h.Signed([])));
        Result(await c.CallAsync("order.place", h.Signed(Order("SELL", "LIMIT", "0.1", "200", "GTC", "old-id"))));
        c.Events.Clear();
        var cancel = Result(await c.CallAsync("order.cancel", h.Signed(new()
        {
            ["symbol"] = "BTCUSDT", ["origClientOrderId"] = "old-id", ["newClientOrderId"] = "cancel-id",
        })));
        Assert.Equal("old-id", cancel.GetProperty("origClientOrderId").GetString());
        Assert.Equal("cancel-id", cancel.GetProperty("clientOrderId").GetString());
        Assert.Equal("CANCELED", cancel.GetProperty("status").GetString());
        Assert.Equal("200.00000000", cancel.GetProperty("price").GetString());
        JsonElement ev;
        do
        {
            ev = (await c.NextEventAsync()).GetProperty("event");
        }
        while (ev.GetProperty("e").GetString() != "executionReport" || ev.GetProperty("x").GetString() != "CANCELED");

        Assert.Equal("cancel-id", ev.GetProperty("c").GetString());
        Assert.Equal("old-id", ev.GetProperty("C").GetString());
        var account = Result(await c.CallAsync("account.status", h.Signed(new() { ["omitZeroBalances"] = true })));
        var btc = account.GetProperty("balances")[0];
        Assert.Equal("1.00000000", btc.GetProperty("free").GetString());
        Assert.Equal("0.00000000", btc.GetProperty("locked").GetString());
        // The id is free again once the order is closed.
        Result(await c.CallAsync("order.place", h.Signed(Order("SELL", "LIMIT", "0.1", "200", "GTC", "old-id"))));
    }

    [Fact]
    public async Task Ioc_and_fok_that_cannot_trade_expire_and_quote_qty_market_buys_round_down_to_the_lot()
    {
        var (h, c) = await OpenApi();
        await using var sim = h;
        var ioc = Result(await c.CallAsync("order.place", h.Signed(Order("BUY", "LIMIT", "0.1", "90", "IOC"))));
        Assert.Equal("EXPIRED", ioc.GetProperty("status").GetString());
        Assert.Equal("UNFILLED_IOC_QUANTITY_EXPIRED", ioc.GetProperty("expiryReason").GetString());
        var fok = Result(await c.CallAsync("order.place", h.Signed(Order("SELL", "LIMIT", "0.1", "96", "FOK"))));
        Assert.Equal("UNFILLED_FOK_ORDER_EXPIRED", fok.GetProperty("expiryReason").GetString());
        var crossing = Result(await c.CallAsync("order.place", h.Signed(Order("BUY", "LIMIT", "0.1", "99", "FOK"))));
        Assert.Equal("FILLED", crossing.GetProperty("status").GetString());
        Assert.Equal("95.00000000", crossing.GetProperty("fills")[0].GetProperty("price").GetString()); // price improvement to the ask

        var ps = new Dictionary<string, object> { ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "MARKET", ["quoteOrderQty"] = "10" };
        var q = Result(await c.CallAsync("order.place", h.Signed(ps)));
        // 10 / 95 = 0.105263… → 0.10526 BTC (lot 0.00001), 9.9997 USDT.
        Assert.Equal("0.10526000", q.GetProperty("executedQty").GetString());
        Assert.Equal("9.99970000", q.GetProperty("cummulativeQuoteQty").GetString());
        Assert.Equal("10.00000000", q.GetProperty("origQuoteOrderQty").GetString());
    }

    [Fact]
    public async Task Ack_and_result_response_types()
    {
        var (h, c) = await OpenApi();
        await using var sim = h;
        var ps = Order("BUY", "LIMIT", "0.1", "90", "GTC");
        ps["newOrderRespType"] = "ACK";
        var ack = Result(await c.CallAsync("order.place", h.Signed(ps)));
        Assert.Equal(["symbol", "orderId", "orderListId", "clientOrderId", "transactTime"], ack.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.StartsWith("sim-", ack.GetProperty("clientOrderId").GetString(), StringComparison.Ordinal);
        ps = Order("BUY", "LIMIT", "0.1", "90", "GTC");
        ps["newOrderRespType"] = "RESULT";
        var result = Result(await c.CallAsync("order.place", h.Signed(ps)));
        Assert.False(result.TryGetProperty("fills", out _));
        Assert.True(result.TryGetProperty("workingTime", out _));
    }

    public static TheoryData<string, string?, string?, string?, string?, int, string> OrderErrors => new()
    {
        { "LIMIT", "0.1", "95.000000001", "GTC", null, -1111, "Parameter 'price' has too much precision." },
        { "LIMIT", "0.1", "95.001", "GTC", null, -1013, "Filter failure: PRICE_FILTER" },
        { "LIMIT", "0.000015", "95", "GTC", null, -1013, "Filter failure: LOT_SIZE" },
        { "LIMIT", "0.05", "95", "GTC", null, -1013, "Filter failure: NOTIONAL" },
        { "LIMIT", "20", "95", "GTC", null, -2010, "Account has insufficient balance for requested action." },
        { "MARKET", "2", null, null, "SELL", -2010, "Account has insufficient balance for requested action." },
        { "LIMIT", "0.1", "95", null, null, -1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed." },
        { "LIMIT", "0.1", "95", "GTD", null, -1115, "Invalid timeInForce." },
        { "MARKET", "0.1", "95", null, null, -1106, "Parameter 'price' sent when not required." },
        { "MARKET", "0.1", null, "GTC", null, -1114, "TimeInForce parameter sent when not required." },
        { "MARKET", null, null, null, null, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!" },
        { "STOP", "0.1", null, null, null, -1116, "Invalid orderType." },
        { "STOP_LOSS", "0.1", null, null, null, -1102, "Mandatory parameter 'stopPrice' was not sent, was empty/null, or malformed." },
        { "LIMIT", "1e2", "95", "GTC", null, -1100, "Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'." },
        { "LIMIT_MAKER", "0.1", "96", null, null, -2010, "Order would immediately match and take." },
        { "LIMIT", "0.1", "95", "GTC", "HOLD", -1117, "Invalid side." },
    };

    [Theory]
    [MemberData(nameof(OrderErrors))]
    public async Task Order_errors_have_binance_codes(string type, string? qty, string? price, string? tif, string? side, int code, string msg)
    {
        var (h, c) = await OpenApi();
        await using var sim = h;
        AssertError(await c.CallAsync("order.place", h.Signed(Order(side ?? "BUY", type, qty, price, tif))), 400, code, msg);
    }

    [Fact]
    public async Task Authentication_errors()
    {
        var (h, c) = await OpenApi();
        await using var sim = h;
        var ps = Order("BUY", "MARKET", "0.1");
        AssertError(await c.CallAsync("order.place", h.Signed(ps, secret: "wrong")), 400, -1022, "Signature for this request is not valid.");
        var tampered = h.Signed(Order("BUY", "MARKET", "0.1"));
        tampered["quantity"] = "0.2";
        AssertError(await c.CallAsync("order.place", tampered), 400, -1022, "Signature for this request is not valid.");
        var stale = Order("BUY", "MARKET", "0.1");
        stale["timestamp"] = h.Clock.NowMs - 5001;
        AssertError(await c.CallAsync("order.place", h.Signed(stale)), 400, -1021, "Timestamp for this request is outside of the recvWindow.");
        var ahead = Order("BUY", "MARKET", "0.1");
        ahead["timestamp"] = h.Clock.NowMs + 1000;
        AssertError(await c.CallAsync("order.place", h.Signed(ahead)), 400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
        var window = Order("BUY", "MARKET", "0.1");
        window["timestamp"] = h.Clock.NowMs - 5001;
        window["recvWindow"] = 6000;
        Result(await c.CallAsync("order.place", h.Signed(window)));
        var badKey = h.Signed(Order("BUY", "MARKET", "0.1"));
        badKey["apiKey"] = "someone-else";
        AssertError(await c.CallAsync("order.place", badKey), 401, -2015, "Invalid API-key, IP, or permissions for action.");
        AssertError(await c.CallAsync("order.place", Order("BUY", "MARKET", "0.1")), 400, -1102,
            "Mandatory parameter 'apiKey' was not sent, was empty/null, or malformed.");
        var unsigned = Order("BUY", "MARKET", "0.1");
        unsigned["apiKey"] = SimHarness.Key;
        unsigned["timestamp"] = h.Clock.NowMs;
        AssertError(await c.CallAsync("order.place", unsigned), 400, -1102,
            "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    }

    [Fact]
    public async Task Symbol_order_and_subscription_errors()
    {
        var (h, c) = await OpenApi();
        await using var sim = h;
        var eth = Order("BUY", "MARKET", "0.1");
        eth["symbol"] = "ETHUSDT";
        AssertError(await c.CallAsync("order.place", h.Signed(eth)), 400, -1121, "Invalid symbol.");
        Result(await c.CallAsync("order.place", h.Signed(Order("BUY", "LIMIT", "0.1", "90", "GTC", "dup"))));
        AssertError(await c.CallAsync("order.place", h.Signed(Order("BUY", "LIMIT", "0.1", "90", "GTC", "dup"))), 400, -2010, "Duplicate order sent.");
        AssertError(await c.CallAsync("order.cancel", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = 99 })), 400, -2011, "Unknown order sent.");
        AssertError(await c.CallAsync("order.status", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = 99 })), 400, -2013, "Order does not exist.");
        AssertError(await c.CallAsync("order.status", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = 1, ["origClientOrderId"] = "x" })), 400, -2039,
            "Client order ID is not correct for this order ID.");
        AssertError(await c.CallAsync("order.cancel", h.Signed(new() { ["symbol"] = "BTCUSDT" })), 400, -1102,
            "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
        AssertError(await c.CallAsync("order.cancel", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = 1, ["cancelRestrictions"] = "ANY" })), 400, -1145,
            "Invalid cancelRestrictions");
        Result(await c.CallAsync("userDataStream.subscribe.signature", h.Signed([])));
        AssertError(await c.CallAsync("userDataStream.subscribe.signature", h.Signed([])), 400, -2035, "User Data Stream subscription already active.");
        Assert.Equal("""[{"subscriptionId":0}]""", Result(await c.CallAsync("session.subscriptions")).GetRawText());
        Assert.Equal("{}", Result(await c.CallAsync("userDataStream.unsubscribe")).GetRawText());
        Assert.Equal("eventStreamTerminated", (await c.NextEventAsync()).GetProperty("event").GetProperty("e").GetString());
        AssertError(await c.CallAsync("userDataStream.unsubscribe"), 400, -2036, "User Data Stream subscription not active.");
        AssertError(await c.CallAsync("order.amend"), 400, -1020, "This operation is not supported.");
    }

    [Fact]
    public async Task Request_weight_over_the_limit_gets_429_with_retry_after()
    {
        var (h, c) = await OpenApi(o => o with { RequestWeightLimit = 25 });
        await using var sim = h;
        Result(await c.CallAsync("exchangeInfo")); // 2 + 20 = 22
        Result(await c.CallAsync("time")); // 23
        var refused = await c.CallAsync("exchangeInfo"); // 43 > 25
        Assert.Equal(429, refused.GetProperty("status").GetInt32());
        var error = refused.GetProperty("error");
        Assert.Equal(-1003, error.GetProperty("code").GetInt32());
        Assert.Equal("Too much request weight used; current limit is 25 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.",
            error.GetProperty("msg").GetString());
        var now = h.Clock.NowMs;
        Assert.Equal(now, error.GetProperty("data").GetProperty("serverTime").GetInt64());
        Assert.Equal(now - (now % 60_000) + 60_000, error.GetProperty("data").GetProperty("retryAfter").GetInt64());
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await c.CallAsync("time");
        Assert.Equal(200, again.GetProperty("status").GetInt32());
        Assert.Equal(1, again.GetProperty("rateLimits")[0].GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Order_count_limit_gives_minus_1015()
    {
        var (h, c) = await OpenApi(o => o with { OrdersPer10Seconds = 2 });
        await using var sim = h;
        Result(await c.CallAsync("order.place", h.Signed(Order("BUY", "LIMIT", "0.1", "90", "GTC"))));
        Result(await c.CallAsync("order.place", h.Signed(Order("BUY", "LIMIT", "0.1", "90", "GTC"))));
        AssertError(await c.CallAsync("order.place", h.Signed(Order("BUY", "LIMIT", "0.1", "90", "GTC"))), 429, -1015,
            "Too many new orders; current limit is 2 orders per 10 SECOND.");
    }

    [Fact]
    public async Task Malformed_requests_get_an_error_envelope()
    {
        var (h, c) = await OpenApi();
        await using var sim = h;
        await c.SendTextAsync("{not json");
        var e = await c.ReceiveAsync();
        Assert.Equal(JsonValueKind.Null, e.GetProperty("id").ValueKind);
        Assert.Equal(-1000, e.GetProperty("error").GetProperty("code").GetInt32());
        await c.SendTextAsync("""{"id":"x1","params":{}}""");
        var m = await c.ReceiveAsync();
        Assert.Equal("x1", m.GetProperty("id").GetString());
        Assert.Equal(-1102, m.GetProperty("error").GetProperty("code").GetInt32());
    }
}
