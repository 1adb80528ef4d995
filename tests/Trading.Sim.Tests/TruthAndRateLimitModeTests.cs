using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Trading.Sim.Faults;
using Trading.Sim.Tests.Support;

namespace Trading.Sim.Tests;

/// <summary>
/// What a reliability test checks a client against: <c>/sim/truth</c>'s placements per client order id, refusal counts
/// and fault counts; and the rate-limit modes (<see cref="RateLimitMode"/>): windows on the replay clock, or counted and
/// never refused. The harness runs in lockstep (Speed 0) on a manual wall clock.
/// </summary>
public sealed class TruthAndRateLimitModeTests
{
    private static Dictionary<string, object> LimitBuy(string clientId) => new()
    {
        ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "LIMIT", ["timeInForce"] = "GTC", ["quantity"] = "0.1", ["price"] = "90",
        ["newClientOrderId"] = clientId,
    };

    private static JsonElement Truth(SimHarness h) => JsonDocument.Parse(h.Server.Truth()).RootElement.Clone();

    private static JsonElement OrdersLimit(JsonElement reply) =>
        reply.GetProperty("rateLimits").EnumerateArray().First(l => l.GetProperty("rateLimitType").GetString() == "ORDERS" && l.GetProperty("interval").GetString() == "SECOND");

    [Fact]
    public async Task Truth_counts_each_client_order_id_placed_once_however_often_it_was_sent()
    {
        // Every order.place times out (-1007) but goes in: a client that resends the same id meets a duplicate refusal.
        await using var h = await SimHarness.StartAsync(o => o with { Faults = FaultSpec.Parse("seed=3,unknown-outcome=1:1") });
        h.Server.Step();
        var c = await h.ConnectAsync("/ws-api/v3");
        Assert.Equal(503, (await c.CallAsync("order.place", h.Signed(LimitBuy("a-1")))).GetProperty("status").GetInt32());
        Assert.Equal(503, (await c.CallAsync("order.place", h.Signed(LimitBuy("a-1")))).GetProperty("status").GetInt32());
        Assert.Equal(503, (await c.CallAsync("order.place", h.Signed(LimitBuy("a-2")))).GetProperty("status").GetInt32());
        var cancel = await c.CallAsync("order.cancel", h.Signed(new() { ["symbol"] = "BTCUSDT", ["origClientOrderId"] = "a-1" }));
        Assert.Equal(200, cancel.GetProperty("status").GetInt32());

        var truth = Truth(h);
        Assert.Equal(1, truth.GetProperty("placements").GetProperty("a-1").GetInt32());
        Assert.Equal(1, truth.GetProperty("placements").GetProperty("a-2").GetInt32());
        // The cancel renamed a-1 on the venue (as Binance does); "placed" keeps the id it was placed with.
        var placed = truth.GetProperty("placed").EnumerateArray().Select(p => p.GetProperty("clientOrderId").GetString()).ToList();
        Assert.Equal(["a-1", "a-2"], placed);
        var orders = truth.GetProperty("orders").EnumerateArray().ToList();
        Assert.Equal(["CANCELED", "NEW"], orders.Select(o => o.GetProperty("status").GetString()));
        Assert.Equal(truth.GetProperty("placed")[0].GetProperty("orderId").GetInt64(), orders[0].GetProperty("orderId").GetInt64());
        var requests = truth.GetProperty("requests");
        Assert.Equal((3, 2, 0, 0), (requests.GetProperty("order_place").GetInt32(), requests.GetProperty("orders_placed").GetInt32(),
            requests.GetProperty("refused_429").GetInt32(), requests.GetProperty("refused_418").GetInt32()));
        Assert.Equal(3, truth.GetProperty("faults").GetProperty("unknown-outcome").GetInt32());
        Assert.False(truth.GetProperty("finished").GetBoolean());
        Assert.Equal(h.Server.MarketTime, truth.GetProperty("time").GetInt64());
    }

    [Fact]
    public async Task Truth_counts_429s_and_418s_including_connections_refused_while_banned()
    {
        await using var h = await SimHarness.StartAsync(o => o with { Faults = FaultSpec.Parse("ratelimit=1:5s,ban=2") });
        var c = await h.ConnectAsync("/ws-api/v3");
        Assert.Equal(429, (await c.CallAsync("time")).GetProperty("status").GetInt32());
        Assert.Equal(429, (await c.CallAsync("time")).GetProperty("status").GetInt32());
        Assert.Equal(418, (await c.CallAsync("time")).GetProperty("status").GetInt32());
        await Assert.ThrowsAnyAsync<WebSocketException>(() => h.ConnectAsync("/ws-api/v3"));

        var truth = Truth(h);
        var requests = truth.GetProperty("requests");
        Assert.Equal((2, 2), (requests.GetProperty("refused_429").GetInt32(), requests.GetProperty("refused_418").GetInt32()));
        Assert.Equal((2, 1), (truth.GetProperty("faults").GetProperty("ratelimit").GetInt32(), truth.GetProperty("faults").GetProperty("ban").GetInt32()));
    }

    [Fact]
    public async Task Replay_rate_limits_count_on_the_replay_clock_not_the_wall_clock()
    {
        await using var h = await SimHarness.StartAsync(o => o with { OrdersPer10Seconds = 2, RateLimits = RateLimitMode.Replay });
        h.Server.Step();
        var c = await h.ConnectAsync("/ws-api/v3");
        Assert.Equal(200, (await c.CallAsync("order.place", h.Signed(LimitBuy("r-1")))).GetProperty("status").GetInt32());
        Assert.Equal(200, (await c.CallAsync("order.place", h.Signed(LimitBuy("r-2")))).GetProperty("status").GetInt32());
        var refused = await c.CallAsync("order.place", h.Signed(LimitBuy("r-3")));
        Assert.Equal(429, refused.GetProperty("status").GetInt32());
        Assert.Equal(-1015, refused.GetProperty("error").GetProperty("code").GetInt32());
        // Paused: the window ends only when the market moves, so Retry-After says the least it can (1 s of wall time).
        Assert.Equal(h.Clock.NowMs + 1000, refused.GetProperty("error").GetProperty("data").GetProperty("retryAfter").GetInt64());

        // A minute of wall time changes nothing; 20 minutes of market (one step) open a new window.
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(429, (await c.CallAsync("order.place", h.Signed(LimitBuy("r-4")))).GetProperty("status").GetInt32());
        h.Server.Step();
        var again = await c.CallAsync("order.place", h.Signed(LimitBuy("r-5")));
        Assert.Equal(200, again.GetProperty("status").GetInt32());
        Assert.Equal(1, OrdersLimit(again).GetProperty("count").GetInt32());
        Assert.Equal(2, Truth(h).GetProperty("requests").GetProperty("refused_429").GetInt32());
    }

    [Fact]
    public async Task Rate_limits_off_count_and_report_but_never_refuse()
    {
        await using var h = await SimHarness.StartAsync(o => o with { OrdersPer10Seconds = 2, RequestWeightLimit = 25, RateLimits = RateLimitMode.Off });
        h.Server.Step();
        var c = await h.ConnectAsync("/ws-api/v3");
        JsonElement last = default;
        for (var i = 0; i < 5; i++)
        {
            last = await c.CallAsync("order.place", h.Signed(LimitBuy($"o-{i}")));
            Assert.Equal(200, last.GetProperty("status").GetInt32());
        }

        Assert.Equal((5, 2), (OrdersLimit(last).GetProperty("count").GetInt32(), OrdersLimit(last).GetProperty("limit").GetInt32()));
        Assert.Equal(200, (await c.CallAsync("exchangeInfo")).GetProperty("status").GetInt32()); // weight 2 + 5 + 20 > 25
        var rest = await h.Http.GetAsync("/api/v3/exchangeInfo", SimHarness.Timeout());
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal(0, Truth(h).GetProperty("requests").GetProperty("refused_429").GetInt32());
    }
}
