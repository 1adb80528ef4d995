using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Trading.Sim.Faults;
using Trading.Sim.Tests.Support;

namespace Trading.Sim.Tests;

/// <summary>Each fault does what the spec says, is counted, and the same seed and inputs inject the same faults.</summary>
public sealed class FaultTests
{
    private static Task<SimHarness> Start(string spec) =>
        SimHarness.StartAsync(o => o with { Faults = FaultSpec.Parse(spec) });

    private static Dictionary<string, object> MarketBuy() =>
        new() { ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "MARKET", ["quantity"] = "0.1" };

    private static async Task<WsClient> OpenStream(SimHarness h, string path)
    {
        var c = await h.ConnectAsync(path);
        await c.SendTextAsync("""{"method":"LIST_SUBSCRIPTIONS","id":1}""");
        await c.ReceiveAsync();
        return c;
    }

    [Fact]
    public void Spec_parses_every_item_and_rejects_bad_ones()
    {
        var s = FaultSpec.Parse("seed=7, drop=0.01;drop-every=30s,stall=0.02:2s,malformed=0.1,truncate=0.2,dup-exec=0.3,reorder-exec=0.4,delay-ack=0.5:200ms,reject=0.05,ratelimit=1");
        Assert.Equal(7, s.Seed);
        Assert.Equal(0.01, s.Drop);
        Assert.Equal(TimeSpan.FromSeconds(30), s.DropEvery);
        Assert.Equal((0.02, TimeSpan.FromSeconds(2)), (s.Stall, s.StallFor));
        Assert.Equal((0.1, 0.2, 0.3, 0.4), (s.Malformed, s.Truncate, s.DuplicateExecutionReport, s.ReorderExecutionReport));
        Assert.Equal((0.5, TimeSpan.FromMilliseconds(200)), (s.DelayAck, s.DelayAckBy));
        Assert.Equal((0.05, 1.0), (s.Reject, s.RateLimit));
        Assert.Equal("fault 'drop=1.5': expected a probability in [0, 1]", Assert.Throws<FormatException>(() => FaultSpec.Parse("drop=1.5")).Message);
        Assert.Equal("fault 'stall=0.1': expected p:duration, e.g. 0.1:2s", Assert.Throws<FormatException>(() => FaultSpec.Parse("stall=0.1")).Message);
        Assert.Equal("fault 'drop-every=5x': expected a positive duration such as 200ms, 2s, 1m or 24h", Assert.Throws<FormatException>(() => FaultSpec.Parse("drop-every=5x")).Message);
        Assert.Equal("fault 'seed' is not name=value", Assert.Throws<FormatException>(() => FaultSpec.Parse("seed")).Message);
        Assert.StartsWith("unknown fault 'lag'", Assert.Throws<FormatException>(() => FaultSpec.Parse("lag=1")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spec_parses_the_venue_fault_kinds()
    {
        var s = FaultSpec.Parse("unknown-outcome=0.1:0.25,lose-ack=0.2,lose-report=0.3,user-stall=0.4:5m,cancel-race=0.5,ban=3,lifetime=24h,skew=-1500ms,ratelimit=0.1:3s,drop-every=500");
        Assert.Equal((0.1, 0.25, 0.2, 0.3), (s.UnknownOutcome, s.UnknownOutcomePlaced, s.LoseAck, s.LoseReport));
        Assert.Equal((0.4, TimeSpan.FromMinutes(5), 0.5, 3), (s.UserStall, s.UserStallFor, s.CancelRace, s.BanAfter));
        Assert.Equal((TimeSpan.FromHours(24), TimeSpan.FromMilliseconds(-1500)), (s.Lifetime, s.Skew));
        Assert.Equal((0.1, TimeSpan.FromSeconds(3), 500L), (s.RateLimit, s.RateLimitRetryAfter, s.DropEveryEvents));
        Assert.Equal((1.0, TimeSpan.FromSeconds(1)), (FaultSpec.Parse("unknown-outcome=0.1").UnknownOutcomePlaced, FaultSpec.Parse("ratelimit=0.1").RateLimitRetryAfter));
        Assert.Equal("fault 'ban=0': expected a positive count", Assert.Throws<FormatException>(() => FaultSpec.Parse("ban=0")).Message);
        Assert.Equal("fault 'unknown-outcome=0.1:2': expected a probability in [0, 1]", Assert.Throws<FormatException>(() => FaultSpec.Parse("unknown-outcome=0.1:2")).Message);
    }

    [Fact]
    public async Task Drop_every_n_events_counts_market_events()
    {
        await using var h = await Start("drop-every=3");
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Server.ConnectionClosed += () => closed.TrySetResult();
        var a = await OpenStream(h, "/ws/btcusdt@trade");
        h.Server.Step(1); // the second market event (the first opened the market)
        Assert.Equal("trade", (await a.ReceiveAsync()).GetProperty("e").GetString());
        h.Server.Step(1); // the third: every connection goes, before the event is published
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(1, h.Server.Faults.Counts[FaultKind.Drop]);
    }

    [Fact]
    public async Task Reject_and_ratelimit_faults_refuse_requests_and_are_counted()
    {
        await using (var h = await Start("reject=1"))
        {
            var c = await h.ConnectAsync("/ws-api/v3");
            for (var i = 0; i < 3; i++)
            {
                var r = await c.CallAsync("order.place", h.Signed(MarketBuy()));
                Assert.Equal(-2010, r.GetProperty("error").GetProperty("code").GetInt32());
            }

            Assert.Equal(200, (await c.CallAsync("time")).GetProperty("status").GetInt32());
            Assert.Equal(3, h.Server.Faults.Counts[FaultKind.Reject]);
        }

        await using (var h = await Start("ratelimit=1"))
        {
            var c = await h.ConnectAsync("/ws-api/v3");
            var r = await c.CallAsync("time");
            Assert.Equal(429, r.GetProperty("status").GetInt32());
            Assert.Equal(-1003, r.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(JsonValueKind.Number, r.GetProperty("error").GetProperty("data").GetProperty("retryAfter").ValueKind);
            Assert.Equal((HttpStatusCode)429, (await h.Http.GetAsync("/api/v3/time", SimHarness.Timeout())).StatusCode);
            Assert.Equal(2, h.Server.Faults.Counts[FaultKind.RateLimit]);
        }
    }

    [Fact]
    public async Task Duplicated_and_reordered_execution_reports()
    {
        await using (var h = await Start("dup-exec=1"))
        {
            var c = await h.ConnectAsync("/ws-api/v3");
            await c.CallAsync("userDataStream.subscribe.signature", h.Signed([]));
            await c.CallAsync("order.place", h.Signed(MarketBuy()));
            var kinds = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                var e = (await c.NextEventAsync()).GetProperty("event");
                kinds.Add(e.GetProperty("e").GetString() == "executionReport" ? e.GetProperty("x").GetString()! : "position");
            }

            Assert.Equal(["NEW", "NEW", "TRADE", "TRADE", "position"], kinds);
            Assert.Equal(2, h.Server.Faults.Counts[FaultKind.DuplicateExecutionReport]);
        }

        await using (var h = await Start("reorder-exec=1"))
        {
            var c = await h.ConnectAsync("/ws-api/v3");
            await c.CallAsync("userDataStream.subscribe.signature", h.Signed([]));
            await c.CallAsync("order.place", h.Signed(MarketBuy()));
            var kinds = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var e = (await c.NextEventAsync()).GetProperty("event");
                kinds.Add(e.GetProperty("e").GetString() == "executionReport" ? e.GetProperty("x").GetString()! : "position");
            }

            Assert.Equal(["TRADE", "NEW", "position"], kinds);
            Assert.Equal(1, h.Server.Faults.Counts[FaultKind.ReorderExecutionReport]);
        }
    }

    [Fact]
    public async Task Delayed_ack_arrives_after_the_execution_reports()
    {
        await using var h = await Start("delay-ack=1:30ms");
        var c = await h.ConnectAsync("/ws-api/v3");
        await c.CallAsync("userDataStream.subscribe.signature", h.Signed([]));
        await c.SendAsync(new { id = "late", method = "order.place", @params = h.Signed(MarketBuy()) });
        // NEW, TRADE and the balances come at once; the reply waits for the replay clock to pass 30 ms (lockstep).
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, (await c.ReceiveAsync()).GetProperty("subscriptionId").GetInt32());
        }

        Assert.True(h.Server.State.Idle); // a reply held by a fault counts as answered: a lockstep client may step
        h.Server.Step();
        var reply = await c.ReceiveAsync();
        Assert.Equal("late", reply.GetProperty("id").GetString());
        Assert.Equal("FILLED", reply.GetProperty("result").GetProperty("status").GetString());
        Assert.Equal(1, h.Server.Faults.Counts[FaultKind.DelayAck]);
    }

    [Fact]
    public async Task Malformed_truncated_and_stalled_stream_frames()
    {
        await using (var h = await Start("malformed=1"))
        {
            var c = await OpenStream(h, "/ws/btcusdt@trade");
            h.Server.Step();
            var text = await c.ReceiveTextAsync();
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
            Assert.Equal(1, h.Server.Faults.Counts[FaultKind.Malformed]);
        }

        await using (var h = await Start("truncate=1"))
        {
            var c = await OpenStream(h, "/ws/btcusdt@trade");
            h.Server.Step();
            var text = await c.ReceiveTextAsync();
            Assert.StartsWith("{\"e\":\"trade\"", text, StringComparison.Ordinal);
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
            Assert.Equal(1, h.Server.Faults.Counts[FaultKind.Truncated]);
        }

        await using (var h = await Start("stall=1:10ms"))
        {
            // Lockstep: a stall counts on the replay clock, so each held frame goes out at the next market step.
            var c = await OpenStream(h, "/ws/btcusdt@trade");
            h.Server.Step(3);
            Assert.Equal("95.00000000", (await c.ReceiveAsync()).GetProperty("p").GetString());
            Assert.Equal("110.00000000", (await c.ReceiveAsync()).GetProperty("p").GetString());
            Assert.Equal(3, h.Server.Faults.Counts[FaultKind.Stall]);
        }
    }

    [Fact]
    public async Task Dropped_connections_stream_and_websocket_api()
    {
        await using var h = await Start("drop=1");
        var closed = 0;
        var twoClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Server.ConnectionClosed += () =>
        {
            if (Interlocked.Increment(ref closed) == 2)
            {
                twoClosed.TrySetResult();
            }
        };
        var stream = await OpenStream(h, "/ws/btcusdt@trade"); // control replies are never fault-injected
        h.Server.Step(); // the trade frame drops the connection instead
        await Assert.ThrowsAnyAsync<WebSocketException>(stream.ReceiveTextAsync);
        var api = await h.ConnectAsync("/ws-api/v3");
        await api.SendTextAsync("""{"id":1,"method":"ping"}""");
        await Assert.ThrowsAnyAsync<WebSocketException>(api.ReceiveTextAsync);
        await twoClosed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(2, h.Server.Faults.Counts[FaultKind.Drop]);
    }

    [Fact]
    public async Task Drop_every_period_aborts_every_connection_at_the_next_market_step()
    {
        await using var h = await Start("drop-every=30m"); // lockstep: 30 minutes of replay time
        var count = 0;
        var bothClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Server.ConnectionClosed += () =>
        {
            if (Interlocked.Increment(ref count) == 2)
            {
                bothClosed.TrySetResult();
            }
        };
        var a = await OpenStream(h, "/ws/btcusdt@trade");
        var b = await h.ConnectAsync("/ws-api/v3");
        Assert.Equal(200, (await b.CallAsync("ping")).GetProperty("status").GetInt32());
        h.Server.Step(); // +20 minutes
        Assert.Equal("trade", (await a.ReceiveAsync()).GetProperty("e").GetString()); // not yet due
        h.Clock.Advance(TimeSpan.FromHours(1)); // wall time does not count in lockstep
        h.Server.Step(); // +40 minutes
        await bothClosed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(2, h.Server.Faults.Counts[FaultKind.Drop]);
    }

    [Fact]
    public async Task The_same_seed_injects_the_same_faults()
    {
        async Task<(string Pattern, long Rejects)> Run(int seed)
        {
            await using var h = await Start($"seed={seed},reject=0.5");
            var c = await h.ConnectAsync("/ws-api/v3");
            var pattern = new System.Text.StringBuilder();
            for (var i = 0; i < 20; i++)
            {
                var r = await c.CallAsync("order.place", h.Signed(MarketBuy()));
                pattern.Append(r.GetProperty("status").GetInt32() == 200 ? '.' : 'x');
            }

            return (pattern.ToString(), h.Server.Faults.Counts[FaultKind.Reject]);
        }

        var first = await Run(42);
        var again = await Run(42);
        var other = await Run(43);
        Assert.Equal(first, again);
        Assert.Equal(first.Pattern.Count(ch => ch == 'x'), first.Rejects);
        Assert.InRange(first.Rejects, 1, 19);
        Assert.NotEqual(first.Pattern, other.Pattern);
    }
}
