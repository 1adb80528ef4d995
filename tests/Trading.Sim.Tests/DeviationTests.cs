using Trading.Sim.Tests.Support;

namespace Trading.Sim.Tests;

/// <summary>
/// Small conformance points from web-socket-api.md / user-data-stream.md: newOrderRespType defaults ("MARKET and
/// LIMIT order types default to FULL, all other orders default to ACK"), executionReport <c>w</c> ("is the order on the
/// book?") and <c>W</c> ("only visible if the order has been placed on the book"), and an answer for every request.
/// </summary>
public sealed class DeviationTests
{
    [Fact]
    public async Task Limit_maker_defaults_to_ack_limit_and_market_to_full()
    {
        await using var h = await SimHarness.StartAsync();
        h.Server.Step();
        var c = await h.ConnectAsync("/ws-api/v3");
        var maker = (await c.CallAsync("order.place", h.Signed(new() { ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "LIMIT_MAKER", ["quantity"] = "0.1", ["price"] = "90" }))).GetProperty("result");
        Assert.False(maker.TryGetProperty("status", out _)); // ACK: no status, no fills
        Assert.True(maker.TryGetProperty("transactTime", out _));
        var limit = (await c.CallAsync("order.place", h.Signed(new() { ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "LIMIT", ["timeInForce"] = "GTC", ["quantity"] = "0.1", ["price"] = "90" }))).GetProperty("result");
        Assert.True(limit.TryGetProperty("fills", out _)); // FULL
    }

    [Fact]
    public async Task Working_flags_only_for_orders_on_the_book()
    {
        await using var h = await SimHarness.StartAsync();
        h.Server.Step();
        var c = await h.ConnectAsync("/ws-api/v3");
        await c.CallAsync("userDataStream.subscribe.signature", h.Signed([]));
        await c.CallAsync("order.place", h.Signed(new() { ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "MARKET", ["quantity"] = "0.1" }));
        await c.CallAsync("order.place", h.Signed(new() { ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "LIMIT", ["timeInForce"] = "GTC", ["quantity"] = "0.1", ["price"] = "90" }));
        await c.CallAsync("ping");
        var news = c.Events.Select(e => e.GetProperty("event")).Where(e => e.TryGetProperty("x", out var x) && x.GetString() == "NEW").ToList();
        Assert.Equal(2, news.Count);
        Assert.False(news[0].GetProperty("w").GetBoolean()); // MARKET
        Assert.False(news[0].TryGetProperty("W", out _));
        Assert.True(news[1].GetProperty("w").GetBoolean()); // resting LIMIT
        Assert.True(news[1].TryGetProperty("W", out _));
    }

    [Fact]
    public void An_unexpected_error_still_gets_a_minus_1000_reply()
    {
        // A handler failing with something other than ApiException (here: parameters missing altogether, which no
        // transport produces) must still be answered, or the client waits for that id forever.
        using var exchange = new SimExchange(new SimOptions { Candles = TestCandles.Make() });
        var reply = exchange.Execute(new Api.ApiCall("klines", null!, null, null, "", Rest: true));
        Assert.Equal(500, reply.Status);
        Assert.Equal("""{"code":-1000,"msg":"An unknown error occurred while processing the request."}""", System.Text.Encoding.UTF8.GetString(reply.Body));
    }
}
