using System.Net;
using System.Text;
using System.Text.Json;
using Trading.Sim.Tests.Support;
using static Trading.Sim.Tests.Support.TestCandles;

namespace Trading.Sim.Tests;

/// <summary>REST with a plain HttpClient: bodies, headers, signing over the query string and the body, one shared engine.</summary>
public sealed class RestTests
{
    private static async Task<JsonElement> Ok(HttpResponseMessage r)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task AssertError(HttpResponseMessage r, HttpStatusCode status, int code, string msg)
    {
        Assert.Equal(status, r.StatusCode);
        Assert.Equal($$"""{"code":{{code}},"msg":{{JsonSerializer.Serialize(msg)}}}""", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Time_and_the_used_weight_header()
    {
        await using var h = await SimHarness.StartAsync();
        var r = await h.Http.GetAsync("/api/v3/time", SimHarness.Timeout());
        Assert.Equal($$"""{"serverTime":{{h.Clock.NowMs}}}""", await r.Content.ReadAsStringAsync());
        Assert.Equal("1", r.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Single());
        var info = await Ok(await h.Http.GetAsync("/api/v3/exchangeInfo?symbol=BTCUSDT", SimHarness.Timeout()));
        Assert.Equal("BTCUSDT", info.GetProperty("symbols")[0].GetProperty("symbol").GetString());
    }

    [Fact]
    public async Task Klines_serve_history_up_to_the_replay_clock_only()
    {
        await using var h = await SimHarness.StartAsync(o => o with { StartCandle = 2 });
        var k = await Ok(await h.Http.GetAsync("/api/v3/klines?symbol=BTCUSDT&interval=1h", SimHarness.Timeout()));
        Assert.Equal(3, k.GetArrayLength()); // candles 0 and 1 closed, candle 2 forming (its first trade, 92)
        Assert.Equal($"[{Start},\"100.00000000\",\"110.00000000\",\"95.00000000\",\"105.00000000\",\"4.00000000\",{Start + Hour - 1},\"410.00000000\",4,\"2.00000000\",\"210.00000000\",\"0\"]",
            k[0].GetRawText());
        // Candle 1: 105 (flat), 108 (up), 90 (down), 92 (up), 2 BTC each: quote 2 × 395 = 790; buyer-taken 105, 108, 92 → 6 BTC, 610 USDT.
        Assert.Equal($"[{Start + Hour},\"105.00000000\",\"108.00000000\",\"90.00000000\",\"92.00000000\",\"8.00000000\",{Start + (2 * Hour) - 1},\"790.00000000\",4,\"6.00000000\",\"610.00000000\",\"0\"]",
            k[1].GetRawText());
        Assert.Equal($"[{Start + (2 * Hour)},\"92.00000000\",\"92.00000000\",\"92.00000000\",\"92.00000000\",\"0.50000000\",{Start + (3 * Hour) - 1},\"46.00000000\",1,\"0.50000000\",\"46.00000000\",\"0\"]",
            k[2].GetRawText());
        var two = await Ok(await h.Http.GetAsync("/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=2", SimHarness.Timeout()));
        Assert.Equal(Start + Hour, two[0][0].GetInt64()); // the newest two
        var from = await Ok(await h.Http.GetAsync($"/api/v3/klines?symbol=BTCUSDT&interval=1h&startTime={Start}&limit=1", SimHarness.Timeout()));
        Assert.Equal(Start, from[0][0].GetInt64());
        await AssertError(await h.Http.GetAsync("/api/v3/klines?symbol=BTCUSDT&interval=1m", SimHarness.Timeout()), HttpStatusCode.BadRequest, -1120, "Invalid interval. The data interval is 1h; served: 1h, 2h, 4h, 6h, 8h, 12h, 1d.");
        await AssertError(await h.Http.GetAsync("/api/v3/klines?symbol=BTCUSDT", SimHarness.Timeout()), HttpStatusCode.BadRequest, -1102,
            "Mandatory parameter 'interval' was not sent, was empty/null, or malformed.");
    }

    [Fact]
    public async Task Book_ticker()
    {
        await using var h = await SimHarness.StartAsync(o => o with { SpreadBps = 100 });
        var t = await Ok(await h.Http.GetAsync("/api/v3/ticker/bookTicker?symbol=BTCUSDT", SimHarness.Timeout()));
        // last 100, ±0.5 %: 99.50 / 100.50
        Assert.Equal("""{"symbol":"BTCUSDT","bidPrice":"99.50000000","bidQty":"1.00000000","askPrice":"100.50000000","askQty":"1.00000000"}""", t.GetRawText());
        Assert.Equal(1, (await Ok(await h.Http.GetAsync("/api/v3/ticker/bookTicker", SimHarness.Timeout()))).GetArrayLength());
    }

    [Fact]
    public async Task Signed_orders_over_rest_share_the_engine_with_the_websocket_api()
    {
        await using var h = await SimHarness.StartAsync();
        var ws = await h.ConnectAsync("/ws-api/v3");
        Assert.Equal(200, (await ws.CallAsync("userDataStream.subscribe.signature", h.Signed([]))).GetProperty("status").GetInt32());

        var placed = await h.SendRestAsync(HttpMethod.Post, "/api/v3/order",
            h.SignedQuery("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5&price=96&newClientOrderId=rest1"));
        var order = await Ok(placed);
        // Limit 96 at or above the ask (100): no, 96 < 100, so it rests.
        Assert.Equal("NEW", order.GetProperty("status").GetString());
        Assert.Equal("1", placed.Headers.GetValues("X-MBX-ORDER-COUNT-10S").Single());
        Assert.Equal("1", placed.Headers.GetValues("X-MBX-ORDER-COUNT-1D").Single());
        var ev = (await ws.NextEventAsync()).GetProperty("event");
        Assert.Equal("rest1", ev.GetProperty("c").GetString());
        Assert.Equal("NEW", ev.GetProperty("x").GetString());

        var status = await Ok(await h.SendRestAsync(HttpMethod.Get, "/api/v3/order", h.SignedQuery("symbol=BTCUSDT&origClientOrderId=rest1")));
        Assert.Equal("0.50000000", status.GetProperty("origQty").GetString());
        Assert.Equal(1, (await Ok(await h.SendRestAsync(HttpMethod.Get, "/api/v3/openOrders", h.SignedQuery("symbol=BTCUSDT")))).GetArrayLength());

        h.Server.Step(); // 95: fills 0.5 @ 96 as maker: 48 USDT, fee 0.0005 BTC
        var trades = await Ok(await h.SendRestAsync(HttpMethod.Get, "/api/v3/myTrades", h.SignedQuery("symbol=BTCUSDT")));
        Assert.Equal($$"""[{"symbol":"BTCUSDT","id":3,"orderId":1,"orderListId":-1,"price":"96.00000000","qty":"0.50000000","quoteQty":"48.00000000","commission":"0.00050000","commissionAsset":"BTC","time":{{Start + 1_200_000}},"isBuyer":true,"isMaker":true,"isBestMatch":true}]""",
            trades.GetRawText());
        var account = await Ok(await h.SendRestAsync(HttpMethod.Get, "/api/v3/account", h.SignedQuery("")));
        Assert.Equal("952.00000000", account.GetProperty("balances")[1].GetProperty("free").GetString()); // 1000 − 48

        // Parameters in the body: the payload is the query string followed directly by the body.
        const string query = "symbol=BTCUSDT&side=SELL&type=LIMIT";
        var body = $"timeInForce=GTC&quantity=0.1&price=150&timestamp={h.Clock.NowMs}";
        var signature = Trading.Sim.Api.Signing.Sign(SimHarness.Secret, query + body);
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/v3/order?" + query)
        {
            Content = new StringContent($"{body}&signature={signature}", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        req.Headers.Add("X-MBX-APIKEY", SimHarness.Key);
        var sell = await Ok(await h.Http.SendAsync(req, SimHarness.Timeout()));
        Assert.Equal("SELL", sell.GetProperty("side").GetString());

        var cancel = await Ok(await h.SendRestAsync(HttpMethod.Delete, "/api/v3/order", h.SignedQuery($"symbol=BTCUSDT&orderId={sell.GetProperty("orderId").GetInt64()}")));
        Assert.Equal("CANCELED", cancel.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Rest_error_bodies_and_statuses()
    {
        await using var h = await SimHarness.StartAsync(o => o with { RequestWeightLimit = 30 });
        await AssertError(await h.SendRestAsync(HttpMethod.Get, "/api/v3/account", h.SignedQuery(""), key: null), HttpStatusCode.Unauthorized, -2014, "API-key format invalid.");
        await AssertError(await h.SendRestAsync(HttpMethod.Get, "/api/v3/order", h.SignedQuery("symbol=BTCUSDT&orderId=1", secret: "nope")), HttpStatusCode.BadRequest, -1022,
            "Signature for this request is not valid.");
        await AssertError(await h.SendRestAsync(HttpMethod.Get, "/api/v3/order", h.SignedQuery("symbol=BTCUSDT&orderId=1")), HttpStatusCode.BadRequest, -2013, "Order does not exist.");
        await AssertError(await h.SendRestAsync(HttpMethod.Get, "/api/v3/order", h.SignedQuery("symbol=BTCUSDT&orderId=1&orderId=2")), HttpStatusCode.BadRequest, -1101,
            "Duplicate values for a parameter detected.");
        // Weight so far: account 20 + order 4 + order 4 (the duplicate was refused before it was weighed) = 28; exchangeInfo's 20 goes over 30.
        var refused = await h.SendRestAsync(HttpMethod.Get, "/api/v3/exchangeInfo", "");
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        var now = h.Clock.NowMs;
        var expectedSeconds = ((now - (now % 60_000) + 60_000 - now) + 999) / 1000;
        Assert.Equal(expectedSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Headers.GetValues("Retry-After").Single());
        Assert.Contains("\"code\":-1003", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_secret_never_appears_in_any_reply()
    {
        await using var h = await SimHarness.StartAsync();
        var replies = new List<string>
        {
            await (await h.SendRestAsync(HttpMethod.Get, "/api/v3/account", h.SignedQuery("", secret: "x"))).Content.ReadAsStringAsync(),
            await (await h.SendRestAsync(HttpMethod.Get, "/api/v3/account", h.SignedQuery(""), key: "wrong")).Content.ReadAsStringAsync(),
            await (await h.SendRestAsync(HttpMethod.Get, "/api/v3/account", h.SignedQuery(""))).Content.ReadAsStringAsync(),
        };
        Assert.All(replies, r => Assert.DoesNotContain(SimHarness.Secret, r, StringComparison.Ordinal));
    }
}
