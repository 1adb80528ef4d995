using Trading.Sim.Api;
using Trading.Sim.Faults;
using Trading.Sim.Tests.Support;
using static Trading.Sim.Tests.Support.TestCandles;

namespace Trading.Sim.Tests;

/// <summary>
/// The ban fault counts only requests a client could have sent knowing of the 429: those that arrive once the 429 has
/// been handed to the client's socket. Requests already in the server's hands before that (a client's pipeline when the
/// 429 was given) were provably sent before the client could read it — Binance counts the requests after the 429. The
/// connection's outgoing queue is held by a gated socket, so what the client "could have read" is exact.
/// </summary>
public sealed class BanCountingTests
{
    private static readonly ApiCall Time = new("time", new ApiParams(new Dictionary<string, string>()), null, null, "", Rest: false);

    [Fact]
    public async Task Requests_that_arrive_before_the_429_reached_the_client_do_not_count_towards_a_ban_later_ones_do()
    {
        using var exchange = new SimExchange(new SimOptions { Candles = Make(), Faults = FaultSpec.Parse("ratelimit=1:5s,ban=2") });
        var socket = new GatedWebSocket();
        var c = exchange.Register(socket, isApi: true, [], combined: false, returnRateLimits: false);
        c.Send("{\"held\":true}"u8.ToArray()); // the pump is stuck on this frame: nothing after it reaches the client

        Assert.Equal(429, exchange.Execute(Time, c, "1").Status);
        for (var i = 2; i <= 6; i++)
        {
            // In flight before the client could have seen the 429: a burst of them is no reason for a ban.
            Assert.Equal(429, exchange.Execute(Time, c, i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Status);
        }

        Assert.Equal(0, exchange.Faults.Counts[FaultKind.Ban]);

        socket.Open();
        await socket.WaitForSent(7); // the held frame and the six 429s: the client may have read them
        Assert.Equal(429, exchange.Execute(Time, c, "7").Status); // ignored the Retry-After: 1
        Assert.Equal(418, exchange.Execute(Time, c, "8").Status); // 2 → banned
        Assert.Equal(1, exchange.Faults.Counts[FaultKind.Ban]);
    }

    [Fact]
    public void A_rest_429_counts_the_requests_after_it_at_once()
    {
        using var exchange = new SimExchange(new SimOptions { Candles = Make(), Faults = FaultSpec.Parse("ratelimit=1:5s,ban=2") });
        var rest = Time with { Rest = true };
        Assert.Equal(429, exchange.Execute(rest).Status);
        Assert.Equal(429, exchange.Execute(rest).Status); // the first answer was returned before this arrived: 1
        Assert.Equal(418, exchange.Execute(rest).Status);
        Assert.Equal(1, exchange.Faults.Counts[FaultKind.Ban]);
    }
}
