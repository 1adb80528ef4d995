using System.Text.Json;
using Trading.Sim.Tests.Support;
using static Trading.Sim.Tests.Support.TestCandles;

namespace Trading.Sim.Tests;

/// <summary>Market streams, byte for byte against the documented payloads (binance.md §1).</summary>
public sealed class StreamTests
{
    /// <summary>Connects and waits for one control round trip, so the server has registered the connection.</summary>
    private static async Task<WsClient> Open(SimHarness h, string path)
    {
        var c = await h.ConnectAsync(path);
        await c.SendTextAsync("""{"method":"LIST_SUBSCRIPTIONS","id":99}""");
        await c.ReceiveAsync();
        return c;
    }

    [Fact]
    public async Task Raw_trade_stream_sends_the_documented_trade_event()
    {
        await using var h = await SimHarness.StartAsync();
        var c = await Open(h, "/ws/btcusdt@trade");
        Assert.Equal(1, h.Server.Step());
        var t = Start + 1_200_000;
        Assert.Equal($$"""{"e":"trade","E":{{t}},"s":"BTCUSDT","t":2,"p":"95.00000000","q":"1.00000000","T":{{t}},"m":true,"M":true}""",
            await c.ReceiveTextAsync());
        h.Server.Step();
        var up = await c.ReceiveAsync();
        Assert.Equal("110.00000000", up.GetProperty("p").GetString());
        Assert.False(up.GetProperty("m").GetBoolean()); // up-tick: the buyer took
        Assert.Equal(3, up.GetProperty("t").GetInt64());
    }

    [Fact]
    public async Task Kline_stream_sends_updates_then_the_closed_kline()
    {
        await using var h = await SimHarness.StartAsync();
        var c = await Open(h, "/ws/btcusdt@kline_1h");
        h.Server.Step();
        var e = Start + 1_200_000;
        Assert.Equal($$$"""{"e":"kline","E":{{{e}}},"s":"BTCUSDT","k":{"t":{{{Start}}},"T":{{{Start + Hour - 1}}},"s":"BTCUSDT","i":"1h","f":1,"L":2,"o":"100.00000000","c":"95.00000000","h":"100.00000000","l":"95.00000000","v":"2.00000000","n":2,"x":false,"q":"195.00000000","V":"1.00000000","Q":"100.00000000","B":"0"}}""",
            await c.ReceiveTextAsync());
        Assert.Equal(3, h.Server.Step(3));
        Assert.False((await c.ReceiveAsync()).GetProperty("k").GetProperty("x").GetBoolean());
        Assert.False((await c.ReceiveAsync()).GetProperty("k").GetProperty("x").GetBoolean());
        var closed = (await c.ReceiveAsync()).GetProperty("k");
        Assert.True(closed.GetProperty("x").GetBoolean());
        Assert.Equal("100.00000000", closed.GetProperty("o").GetString());
        Assert.Equal("110.00000000", closed.GetProperty("h").GetString());
        Assert.Equal("95.00000000", closed.GetProperty("l").GetString());
        Assert.Equal("105.00000000", closed.GetProperty("c").GetString());
        Assert.Equal("4.00000000", closed.GetProperty("v").GetString());
        Assert.Equal("410.00000000", closed.GetProperty("q").GetString()); // 100 + 95 + 110 + 105
        Assert.Equal("2.00000000", closed.GetProperty("V").GetString()); // the 100 and 110 prints were buyer-taken
        Assert.Equal("210.00000000", closed.GetProperty("Q").GetString());
        Assert.Equal(4, closed.GetProperty("n").GetInt32());
        Assert.Equal(Start + Hour - 1, closed.GetProperty("T").GetInt64());
        Assert.Equal(Start + Hour - 1, h.Server.MarketTime);
    }

    [Fact]
    public async Task Combined_stream_wraps_payloads_and_book_ticker_straddles_the_last_price()
    {
        await using var h = await SimHarness.StartAsync(o => o with { SpreadBps = 20 });
        var c = await Open(h, "/stream?streams=btcusdt@trade/btcusdt@bookTicker");
        h.Server.Step();
        var trade = await c.ReceiveAsync();
        Assert.Equal("btcusdt@trade", trade.GetProperty("stream").GetString());
        Assert.Equal("trade", trade.GetProperty("data").GetProperty("e").GetString());
        // 95 ± 95 × 10 bps = 94.905 / 95.095, rounded outwards to the 0.01 tick.
        Assert.Equal("""{"stream":"btcusdt@bookTicker","data":{"u":2,"s":"BTCUSDT","b":"94.90000000","B":"1.00000000","a":"95.10000000","A":"1.00000000"}}""",
            await c.ReceiveTextAsync());
    }

    [Fact]
    public async Task Control_messages_subscribe_list_unsubscribe_and_properties()
    {
        await using var h = await SimHarness.StartAsync();
        var c = await h.ConnectAsync("/ws");
        await c.SendTextAsync("""{"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@bookTicker"],"id":1}""");
        Assert.Equal("""{"result":null,"id":1}""", await c.ReceiveTextAsync());
        await c.SendTextAsync("""{"method":"LIST_SUBSCRIPTIONS","id":"abc"}""");
        Assert.Equal("""{"result":["btcusdt@bookTicker","btcusdt@trade"],"id":"abc"}""", await c.ReceiveTextAsync());
        await c.SendTextAsync("""{"method":"UNSUBSCRIBE","params":["btcusdt@bookTicker"],"id":312}""");
        Assert.Equal("""{"result":null,"id":312}""", await c.ReceiveTextAsync());
        await c.SendTextAsync("""{"method":"GET_PROPERTY","params":["combined"],"id":2}""");
        Assert.Equal("""{"result":false,"id":2}""", await c.ReceiveTextAsync());
        await c.SendTextAsync("""{"method":"SET_PROPERTY","params":["combined",true],"id":5}""");
        Assert.Equal("""{"result":null,"id":5}""", await c.ReceiveTextAsync());
        h.Server.Step();
        var m = await c.ReceiveAsync();
        Assert.Equal("btcusdt@trade", m.GetProperty("stream").GetString());
    }

    [Theory]
    [InlineData("""{"method":"SUBSCRIBE","params":["btcusdt@trade"]""", 3, "Invalid JSON: expected value")]
    [InlineData("""{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":true}""", 2, "Invalid request: request ID must be an unsigned integer")]
    [InlineData("""{"params":["btcusdt@trade"],"id":4}""", 2, "Invalid request: missing field `method`")]
    [InlineData("""{"method":"FOO","id":4}""", 2, "Invalid request: unknown variant FOO, expected one of `SUBSCRIBE`")]
    [InlineData("""{"method":"GET_PROPERTY","params":["size"],"id":4}""", 0, "Unknown property")]
    [InlineData("""{"method":"SET_PROPERTY","params":["combined","yes"],"id":4}""", 1, "Invalid value type: expected Boolean")]
    [InlineData("""{"method":"GET_PROPERTY","params":[5],"id":4}""", 2, "Invalid request: property name must be a string")]
    public async Task Control_errors_use_codes_0_to_3(string request, int code, string msgStart)
    {
        await using var h = await SimHarness.StartAsync();
        var c = await h.ConnectAsync("/ws");
        await c.SendTextAsync(request);
        var e = await c.ReceiveAsync();
        Assert.Equal(code, e.GetProperty("code").GetInt32());
        Assert.StartsWith(msgStart, e.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Number, e.GetProperty("code").ValueKind);
    }

    [Fact]
    public async Task A_client_that_never_answers_pings_is_disconnected()
    {
        await using var h = await SimHarness.StartAsync(o => o with
        {
            PingInterval = TimeSpan.FromMilliseconds(50),
            PongTimeout = TimeSpan.FromMilliseconds(100),
        });
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Server.ConnectionClosed += () => closed.TrySetResult();
        // A ClientWebSocket answers pings only while a receive is pending; this one never receives.
        await h.ConnectAsync("/ws/btcusdt@trade");
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(1, h.Server.ClosedConnections);
    }

    [Fact]
    public async Task A_client_that_answers_pings_stays_connected()
    {
        await using var h = await SimHarness.StartAsync(o => o with
        {
            PingInterval = TimeSpan.FromMilliseconds(20),
            PongTimeout = TimeSpan.FromMilliseconds(2000),
        });
        var c = await Open(h, "/ws/btcusdt@trade");
        // Receiving keeps pongs flowing; several ping periods pass while we wait for these control replies.
        for (var i = 0; i < 5; i++)
        {
            await c.SendTextAsync("""{"method":"LIST_SUBSCRIPTIONS","id":1}""");
            Assert.Equal("""{"result":["btcusdt@trade"],"id":1}""", await c.ReceiveTextAsync());
        }

        Assert.Equal(0, h.Server.ClosedConnections);
    }

    [Fact]
    public async Task Stopping_the_server_announces_server_shutdown_on_every_connection()
    {
        var h = await SimHarness.StartAsync();
        var raw = await Open(h, "/ws/btcusdt@trade");
        var combined = await Open(h, "/stream?streams=btcusdt@trade");
        var api = await h.ConnectAsync("/ws-api/v3");
        Assert.Equal(200, (await api.CallAsync("ping")).GetProperty("status").GetInt32());
        var now = h.Clock.NowMs;

        // Each client reads the notice, then the server's close frame, and answers it (the close handshake).
        static async Task<string> NoticeThenClose(WsClient c)
        {
            var notice = await c.ReceiveTextAsync();
            var r = await c.Socket.ReceiveAsync(new byte[256], SimHarness.Timeout());
            Assert.Equal(System.Net.WebSockets.WebSocketMessageType.Close, r.MessageType);
            Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, c.Socket.CloseStatus);
            await c.Socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, SimHarness.Timeout());
            return notice;
        }

        var reads = new[] { NoticeThenClose(raw), NoticeThenClose(combined), NoticeThenClose(api) };
        await h.Server.DisposeAsync();
        Assert.Equal($$"""{"e":"serverShutdown","E":{{now}}}""", await reads[0]);
        Assert.Equal($$$"""{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":{{{now}}}}}""", await reads[1]);
        Assert.Equal($$$"""{"event":{"e":"serverShutdown","E":{{{now}}}}}""", await reads[2]);
        Assert.Equal(3, h.Server.ClosedConnections);
        await h.DisposeAsync();
    }
}
