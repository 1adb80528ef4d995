using System.Text.Json;
using Trading.Live.Binance;
using Trading.Live.Connection;
using Trading.Live.Tests.Support;
using Trading.Sim.Faults;

namespace Trading.Live.Tests.Connection;

/// <summary>
/// A 429's Retry-After holds every further request of the session, the ones queued behind it and new ones: the venue
/// sees none of them before the Retry-After has passed (the simulator's <c>serverTime</c> of each answer says when it
/// arrived). Real loopback sockets against the in-process simulator; the loop is driven until the answers are in.
/// </summary>
public sealed class RetryAfterSessionTests
{
    private sealed class Answers : IApiListener
    {
        public bool Connected;
        public bool Closed;
        public readonly List<(long Id, int Status, long ServerTime, long RetryAfter)> Responses = [];

        public void OnApiConnected() => Connected = true;

        public void OnResponse(in PendingRequest request, ApiFrame frame, ReadOnlySpan<byte> json)
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            long server = 0, retry = 0;
            if (doc.RootElement.TryGetProperty("error", out var e) && e.TryGetProperty("data", out var d))
            {
                server = d.GetProperty("serverTime").GetInt64();
                retry = d.GetProperty("retryAfter").GetInt64();
            }

            Responses.Add((request.Id, frame.Status, server, retry));
        }

        public void OnUnanswered(in PendingRequest request, string why)
        {
        }

        public void OnUserEvent(ApiFrame frame)
        {
        }

        public void OnApiClosed(string? error) => Closed = true;
    }

    private static readonly RateLimitEntry[] Generous = [new(RateLimitType.RequestWeight, 'M', 1, 6000, 0)];

    /// <param name="clockAheadMs">How far the session's estimate of the venue's clock is ahead of it. The estimate comes
    /// from round trips, which a loaded machine makes lopsided: at +300 ms a wait measured as <c>retryAfter</c> minus the
    /// estimate would end 300 ms early, inside the 400 ms Retry-After (the soak earned 418s so); the venue's own
    /// <c>retryAfter − serverTime</c> does not depend on it.</param>
    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    public async Task Nothing_reaches_the_venue_inside_a_retry_after_neither_what_was_queued_nor_what_comes_later(int clockAheadMs)
    {
        // Every request is refused with a 429 and a Retry-After of 400 ms: each one that arrives is answered with the
        // venue's time of arrival, so where each landed relative to the back-offs the client knew of is exact.
        await using var venue = await SimVenue.StartAsync(o => o with { Faults = FaultSpec.Parse("ratelimit=1:400ms") });
        var answers = new Answers();
        var limiter = new RateLimiter(Generous);
        var session = new ApiSession(venue.Loop, venue.Endpoints.WebSocketApiUrl, new ApiFrameParser(new Trading.Live.Orders.ClientOrderIdCodec(7), "BTC", "USDT"),
            answers, TimeSpan.FromSeconds(10), limiter, () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + clockAheadMs);
        session.Start(TimeSpan.FromSeconds(5));
        venue.RunUntil(() => answers.Connected || answers.Closed);
        Assert.True(answers.Connected);
        var writer = new ApiRequestWriter(SimVenue.Key, new HmacSigner(SimVenue.Secret), "BTCUSDT");

        void Time()
        {
            var id = session.NextId();
            Assert.True(session.Send(id, writer.Unsigned(id, "time"u8), RequestKind.Time, 0));
        }

        Time();
        venue.RunUntil(() => answers.Responses.Count == 1);
        var first = answers.Responses[0];
        Assert.Equal(429, first.Status);

        // Three more while the back-off holds (within the pipeline, so all leave together once it has passed).
        Time();
        Time();
        Time();
        Assert.Equal(3, session.PendingCount); // held, none handed to the socket
        venue.RunUntil(() => answers.Responses.Count == 4);
        Assert.All(answers.Responses.Skip(1), r => Assert.True(r.ServerTime >= first.RetryAfter,
            $"request {r.Id} reached the venue at {r.ServerTime}, inside the Retry-After (until {first.RetryAfter})"));

        // The first of them was refused again: what is sent from now on waits for that back-off too.
        var second = answers.Responses.Skip(1).MaxBy(r => r.RetryAfter);
        Time();
        venue.RunUntil(() => answers.Responses.Count == 5);
        Assert.True(answers.Responses[4].ServerTime >= second.RetryAfter,
            $"reached the venue at {answers.Responses[4].ServerTime}, inside the Retry-After (until {second.RetryAfter})");
        Assert.Equal(0, venue.Server.Faults.Counts[FaultKind.Ban]);
        session.Close();
        venue.RunUntil(() => answers.Closed);
    }
}
