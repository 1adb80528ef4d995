using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Trading.Sim.Faults;
using Trading.Sim.Tests.Support;

namespace Trading.Sim.Tests;

/// <summary>
/// Faults that make real engines lose or duplicate orders, each as the Binance docs describe the venue behaviour it
/// models (web-socket-api.md "5XX … does not necessarily mean that your request has failed", errors.md -1007,
/// rest-api.md 418 bans and Retry-After, web-socket-streams.md 24-hour connections), and reproducible per seed.
/// The harness runs in lockstep (Speed 0).
/// </summary>
public sealed class VenueFaultTests
{
    private static Task<SimHarness> Start(string spec) => SimHarness.StartAsync(o => o with { Faults = FaultSpec.Parse(spec) });

    private static Dictionary<string, object> MarketBuy(string? clientId = null)
    {
        var ps = new Dictionary<string, object> { ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "MARKET", ["quantity"] = "0.1" };
        if (clientId is not null)
        {
            ps["newClientOrderId"] = clientId;
        }

        return ps;
    }

    private static Dictionary<string, object> LimitBuy(string price) =>
        new() { ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "LIMIT", ["timeInForce"] = "GTC", ["quantity"] = "0.1", ["price"] = price };

    /// <summary>Connects a stream client and waits for a control reply, so that the server has registered it.</summary>
    private static async Task<WsClient> OpenStream(SimHarness h, string path)
    {
        var c = await h.ConnectAsync(path);
        await c.SendTextAsync("""{"method":"LIST_SUBSCRIPTIONS","id":1}""");
        await c.ReceiveAsync();
        return c;
    }

    private static JsonElement Truth(SimHarness h) => JsonDocument.Parse(h.Server.Truth()).RootElement.Clone();

    [Fact]
    public async Task Same_seed_same_faults_with_or_without_an_extra_stream_client()
    {
        async Task<string> Run(bool extraStream)
        {
            await using var h = await Start("seed=5,reject=0.3,unknown-outcome=0.2:0.5,lose-report=0.3,dup-exec=0.3,malformed=0.2");
            var api = await h.ConnectAsync("/ws-api/v3");
            await api.CallAsync("userDataStream.subscribe.signature", h.Signed([]));
            if (extraStream)
            {
                // A stream client gets frames (and malformed ones: a draw per frame) of its own; the API connection's fate must not change.
                await OpenStream(h, "/ws/btcusdt@trade/btcusdt@kline_1h");
            }

            var pattern = new System.Text.StringBuilder();
            for (var i = 0; i < 30; i++)
            {
                h.Server.Step();
                var r = await api.CallAsync("order.place", h.Signed(MarketBuy()));
                pattern.Append(r.GetProperty("status").GetInt32() switch { 200 => '.', 503 => '?', _ => 'x' });
            }

            await api.CallAsync("ping");
            pattern.Append('|').AppendJoin(',', api.Events.Select(e => e.GetProperty("event").GetProperty("e").GetString() == "executionReport"
                ? e.GetProperty("event").GetProperty("x").GetString() + e.GetProperty("event").GetProperty("i").GetInt64()
                : "pos"));
            var counts = h.Server.Faults.Counts;
            pattern.Append('|').AppendJoin(',', new[] { FaultKind.Reject, FaultKind.UnknownOutcome, FaultKind.LoseReport, FaultKind.DuplicateExecutionReport }
                .Select(k => counts[k]));
            pattern.Append('|').Append(Truth(h).GetProperty("orders").GetArrayLength());
            return pattern.ToString();
        }

        var alone = await Run(extraStream: false);
        var withStream = await Run(extraStream: true);
        Assert.Equal(alone, withStream);
        Assert.Contains('x', alone);
        Assert.Contains('?', alone);
        Assert.Contains('.', alone);
    }

    [Fact]
    public async Task Unknown_outcome_answers_503_minus_1007_and_the_order_is_placed_or_not()
    {
        await using (var h = await Start("unknown-outcome=1"))
        {
            var c = await h.ConnectAsync("/ws-api/v3");
            var r = await c.CallAsync("order.place", h.Signed(MarketBuy("u1")));
            Assert.Equal(503, r.GetProperty("status").GetInt32());
            Assert.Equal(-1007, r.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal("Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
                r.GetProperty("error").GetProperty("msg").GetString());
            // It was placed (q defaults to 1): querying finds it filled.
            var s = await c.CallAsync("order.status", h.Signed(new() { ["symbol"] = "BTCUSDT", ["origClientOrderId"] = "u1" }));
            Assert.Equal("FILLED", s.GetProperty("result").GetProperty("status").GetString());
            var rest = await h.SendRestAsync(HttpMethod.Post, "/api/v3/order", h.SignedQuery("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, rest.StatusCode);
            Assert.Equal(2, h.Server.Faults.Counts[FaultKind.UnknownOutcome]);
            Assert.Equal(2, Truth(h).GetProperty("orders").GetArrayLength());
        }

        await using (var h = await Start("unknown-outcome=1:0"))
        {
            var c = await h.ConnectAsync("/ws-api/v3");
            Assert.Equal(-1007, (await c.CallAsync("order.place", h.Signed(MarketBuy("u2")))).GetProperty("error").GetProperty("code").GetInt32());
            var s = await c.CallAsync("order.status", h.Signed(new() { ["symbol"] = "BTCUSDT", ["origClientOrderId"] = "u2" }));
            Assert.Equal(-2013, s.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(0, Truth(h).GetProperty("orders").GetArrayLength());
        }
    }

    [Fact]
    public async Task Lose_ack_places_the_order_and_never_answers_while_the_connection_stays_up()
    {
        await using var h = await Start("lose-ack=1");
        var c = await h.ConnectAsync("/ws-api/v3");
        await c.SendAsync(new { id = "lost", method = "order.place", @params = h.Signed(MarketBuy("la")) });
        var status = await c.CallAsync("order.status", h.Signed(new() { ["symbol"] = "BTCUSDT", ["origClientOrderId"] = "la" }));
        // The ping-like status call is answered, so the connection is up; nothing with id "lost" came before it.
        Assert.Equal("FILLED", status.GetProperty("result").GetProperty("status").GetString());
        Assert.DoesNotContain(c.Events, e => e.TryGetProperty("id", out var id) && id.GetString() == "lost");
        Assert.Equal(1, h.Server.Faults.Counts[FaultKind.LoseAck]);
        Assert.True(h.Server.State.Idle); // a lost reply counts as answered
    }

    [Fact]
    public async Task Lose_report_skips_execution_reports_while_the_stream_stays_healthy()
    {
        await using var h = await Start("lose-report=1");
        var c = await h.ConnectAsync("/ws-api/v3");
        await c.CallAsync("userDataStream.subscribe.signature", h.Signed([]));
        await c.CallAsync("order.place", h.Signed(MarketBuy()));
        await c.CallAsync("ping");
        // Only the balance update arrived; the fill is recovered by querying.
        Assert.Equal(["outboundAccountPosition"], c.Events.Select(e => e.GetProperty("event").GetProperty("e").GetString()));
        Assert.Equal(2, h.Server.Faults.Counts[FaultKind.LoseReport]); // NEW and TRADE
        var trades = (await c.CallAsync("myTrades", h.Signed(new() { ["symbol"] = "BTCUSDT" }))).GetProperty("result");
        Assert.Equal(1, trades.GetArrayLength());
    }

    [Fact]
    public async Task User_stall_quiets_the_user_stream_on_the_replay_clock_while_market_streams_flow()
    {
        await using var h = await Start("user-stall=1:30m");
        var stream = await OpenStream(h, "/ws/btcusdt@trade");
        var c = await h.ConnectAsync("/ws-api/v3");
        await c.CallAsync("userDataStream.subscribe.signature", h.Signed([]));
        await c.CallAsync("order.place", h.Signed(MarketBuy()));
        await c.CallAsync("ping");
        Assert.Empty(c.Events); // replies flow, user events are held
        h.Server.Step(); // +20 min: still quiet; the market stream is not
        Assert.Equal("trade", (await stream.ReceiveAsync()).GetProperty("e").GetString());
        await c.CallAsync("ping");
        Assert.Empty(c.Events);
        h.Server.Step(); // +40 min: the held events go out, in order
        var kinds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var e = (await c.NextEventAsync()).GetProperty("event");
            kinds.Add(e.TryGetProperty("x", out var x) ? x.GetString()! : e.GetProperty("e").GetString()!);
        }

        Assert.Equal(["NEW", "TRADE", "outboundAccountPosition"], kinds);
        Assert.Equal(1, h.Server.Faults.Counts[FaultKind.UserStall]);
    }

    [Fact]
    public async Task Cancel_race_the_fill_wins_and_the_cancel_gets_minus_2011()
    {
        await using var h = await Start("cancel-race=1");
        var c = await h.ConnectAsync("/ws-api/v3");
        var placed = (await c.CallAsync("order.place", h.Signed(LimitBuy("50")))).GetProperty("result");
        var id = placed.GetProperty("orderId").GetInt64();
        var cancel = await c.CallAsync("order.cancel", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = id }));
        Assert.Equal(-2011, cancel.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("Unknown order sent.", cancel.GetProperty("error").GetProperty("msg").GetString());
        var s = (await c.CallAsync("order.status", h.Signed(new() { ["symbol"] = "BTCUSDT", ["orderId"] = id }))).GetProperty("result");
        Assert.Equal(("FILLED", "5.00000000"), (s.GetProperty("status").GetString(), s.GetProperty("cummulativeQuoteQty").GetString()));
        Assert.Equal(1, h.Server.Faults.Counts[FaultKind.CancelRace]);
    }

    [Fact]
    public async Task Ban_after_ignored_retry_afters_answers_418_and_closes_connections()
    {
        await using var h = await Start("ratelimit=1:5s,ban=2");
        var c = await h.ConnectAsync("/ws-api/v3");
        var first = await c.CallAsync("time");
        Assert.Equal(429, first.GetProperty("status").GetInt32());
        Assert.Equal(h.Clock.NowMs + 5000, first.GetProperty("error").GetProperty("data").GetProperty("retryAfter").GetInt64());
        Assert.Equal(429, (await c.CallAsync("time")).GetProperty("status").GetInt32()); // ignored the Retry-After: 1
        var banned = await c.CallAsync("time"); // ignored again: 2 → banned
        Assert.Equal(418, banned.GetProperty("status").GetInt32());
        Assert.Equal(-1003, banned.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(h.Clock.NowMs + 120_000, banned.GetProperty("error").GetProperty("data").GetProperty("retryAfter").GetInt64());
        await Assert.ThrowsAnyAsync<WebSocketException>(c.ReceiveTextAsync); // closed by the server
        var rest = await h.Http.GetAsync("/api/v3/time", SimHarness.Timeout());
        Assert.Equal((HttpStatusCode)418, rest.StatusCode);
        Assert.Equal("120", rest.Headers.GetValues("Retry-After").Single());
        await Assert.ThrowsAnyAsync<WebSocketException>(() => h.ConnectAsync("/ws-api/v3"));
        Assert.Equal((2, 1), (h.Server.Faults.Counts[FaultKind.RateLimit], h.Server.Faults.Counts[FaultKind.Ban]));

        h.Clock.Advance(TimeSpan.FromMinutes(2)); // the ban (wall time) is over
        Assert.Equal(HttpStatusCode.TooManyRequests, (await h.Http.GetAsync("/api/v3/time", SimHarness.Timeout())).StatusCode);
    }

    [Fact]
    public async Task Ban_counts_requests_inside_one_retry_after_not_over_the_whole_run()
    {
        await using var h = await Start("ratelimit=1:5s,ban=2");
        var c = await h.ConnectAsync("/ws-api/v3");
        Assert.Equal(429, (await c.CallAsync("time")).GetProperty("status").GetInt32());
        Assert.Equal(429, (await c.CallAsync("time")).GetProperty("status").GetInt32()); // inside the back-off: 1
        h.Clock.Advance(TimeSpan.FromSeconds(6)); // honoured: the back-off is over
        Assert.Equal(429, (await c.CallAsync("time")).GetProperty("status").GetInt32()); // a new back-off, counted afresh
        Assert.Equal(429, (await c.CallAsync("time")).GetProperty("status").GetInt32()); // inside it: 1, not 2
        Assert.Equal(0, h.Server.Faults.Counts[FaultKind.Ban]);
        Assert.Equal(418, (await c.CallAsync("time")).GetProperty("status").GetInt32()); // 2 inside one back-off
        Assert.Equal(1, h.Server.Faults.Counts[FaultKind.Ban]);
    }

    [Fact]
    public async Task Lifetime_closes_connections_on_the_replay_clock_and_skew_shifts_the_server_clock()
    {
        await using (var h = await Start("lifetime=1h"))
        {
            var stream = await OpenStream(h, "/ws/btcusdt@trade");
            h.Server.Step(2); // +40 min
            Assert.Equal("trade", (await stream.ReceiveAsync()).GetProperty("e").GetString());
            Assert.Equal("trade", (await stream.ReceiveAsync()).GetProperty("e").GetString());
            h.Server.Step(3); // 105 and the kline close at +59:59.999, then candle 1 opens at +60 min: the hour is up
            Assert.Equal("105.00000000", (await stream.ReceiveAsync()).GetProperty("p").GetString());
            await Assert.ThrowsAnyAsync<WebSocketException>(stream.ReceiveTextAsync);
            Assert.Equal(1, h.Server.Faults.Counts[FaultKind.Lifetime]);
        }

        await using (var h = await Start("skew=-10s"))
        {
            var c = await h.ConnectAsync("/ws-api/v3");
            Assert.Equal(h.Clock.NowMs - 10_000, (await c.CallAsync("time")).GetProperty("result").GetProperty("serverTime").GetInt64());
            var r = await c.CallAsync("account.status", h.Signed([]));
            Assert.Equal(-1021, r.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(1, h.Server.Faults.Counts[FaultKind.Skew]);
        }
    }

    [Fact]
    public async Task Sim_faults_reports_venue_kinds_and_the_synthetic_ones_apart()
    {
        await using var h = await Start("reject=1");
        var c = await h.ConnectAsync("/ws-api/v3");
        await c.CallAsync("order.place", h.Signed(MarketBuy()));
        var req = new HttpRequestMessage(HttpMethod.Get, "/sim/faults");
        req.Headers.Add("X-MBX-APIKEY", SimHarness.Key);
        var json = await SimHarness.JsonAsync(await h.Http.SendAsync(req, SimHarness.Timeout()));
        Assert.Equal(1, json.GetProperty("reject").GetInt64());
        Assert.Equal(0, json.GetProperty("unknown-outcome").GetInt64());
        Assert.Equal(["malformed", "truncate", "reorder-exec"], json.GetProperty("synthetic").EnumerateObject().Select(p => p.Name));
        Assert.False(json.TryGetProperty("malformed", out _));
    }
}
