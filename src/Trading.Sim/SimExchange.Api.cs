using System.Collections.Frozen;
using Trading.Sim.Api;
using Trading.Sim.Faults;
using Trading.Sim.Matching;
using Trading.Sim.Transport;

namespace Trading.Sim;

/// <summary>Requests shared by REST and the WebSocket API: the method table, the envelope, authentication, limits and
/// reply faults (see <see cref="SimExchange"/> for threading). Handlers: SimExchange.Orders.cs and SimExchange.Queries.cs.</summary>
internal sealed partial class SimExchange
{
    private enum Security
    {
        None,
        Signed,
    }

    /// <summary>What a fault decided for the reply of a request that succeeded.</summary>
    private enum ReplyFault
    {
        None,
        Delay,
        Lose,
    }

    /// <summary>Runs one request under the lock. For a WebSocket API call the reply is queued on <paramref name="origin"/>
    /// (before the user events it caused) unless a delay fault holds it back; <paramref name="requestId"/> is the raw JSON id.</summary>
    public ApiReply Execute(ApiCall call, SimConnection? origin = null, string? requestId = null, bool returnRateLimits = true)
    {
        var seenWindow = RetryWindowSeen; // as the request arrived, before it waits for the lock
        lock (_gate)
        {
            var now = WallNow;
            var limitNow = LimitNow;
            var events = new List<UserEvent>();
            var countsOrders = false;
            var closeAll = false;
            var effect = ReplyFault.None;
            Action? sent = null;
            ApiReply reply;
            try
            {
                var method = Describe(call);
                CheckRequestFaults(now, seenWindow, ref closeAll);
                if (call.Rest && !_rawRequests.Add(1, limitNow))
                {
                    throw new ApiException(429, -1003, $"Too many requests; current limit is {_rawRequests.Limit} requests per 5 MINUTE.",
                        RetryAt(_rawRequests, now));
                }

                if (!_weight.Add(method.Weight(call.Params), limitNow))
                {
                    throw TooMuchWeight(now);
                }

                if (method.Security == Security.Signed)
                {
                    Authenticate(call, now);
                }

                countsOrders = call.Method is "order.place" or "orderList.place.oco";
                var request = new Request(call, origin, events);
                var body = method.Handle(this, request);
                effect = request.Effect;
                reply = new ApiReply(200, body, false, null, Limits(limitNow, countsOrders), TimeSpan.Zero, countsOrders);
            }
            catch (ApiException e)
            {
                CountRefusal(e.Status);
                if (e.Status == 429 && e.RetryAfterMs is { } retryAt)
                {
                    var window = NoteRetryAfter(retryAt, now);
                    if (origin is null)
                    {
                        RetryAfterSeen(window); // REST: answered as this returns
                    }
                    else
                    {
                        sent = () => RetryAfterSeen(window);
                    }
                }

                // The WebSocket API adds {"serverTime","retryAfter"} to a 429/418 error; REST says it in Retry-After.
                var body = BinanceJson.Build(w => BinanceJson.Error(w, e.Code, e.Message, origin is null ? null : e.RetryAfterMs, now));
                reply = new ApiReply(e.Status, body, true, e.RetryAfterMs, Limits(limitNow, countsOrders), TimeSpan.Zero, countsOrders);
            }
            catch (Exception other) when (other is not OperationCanceledException)
            {
                // A bug must still get an answer (Binance's -1000), never silence that a client would wait on.
                var e = new ApiException(500, -1000, "An unknown error occurred while processing the request.");
                reply = new ApiReply(e.Status, BinanceJson.Build(w => BinanceJson.Error(w, e.Code, e.Message)), true, null,
                    Limits(limitNow, countsOrders), TimeSpan.Zero, countsOrders);
            }

            reply = ApplyReplyFault(reply, effect, origin, requestId ?? "null", returnRateLimits);
            if (origin is not null && reply is { Delay.Ticks: 0, Lost: false, HeldUntilStep: null })
            {
                SendWithFaults(origin, Envelope(requestId ?? "null", reply, returnRateLimits), isStream: false, sent);
            }

            PublishUser(events);
            if (closeAll)
            {
                CloseAllConnections();
            }

            return reply;
        }
    }

    /// <summary>What a fault does to a successful order.place reply: lose it, or hold it (wall time, or the replay clock in lockstep).</summary>
    private ApiReply ApplyReplyFault(ApiReply reply, ReplyFault effect, SimConnection? origin, string requestId, bool returnRateLimits)
    {
        if (effect == ReplyFault.Lose)
        {
            return reply with { Lost = true };
        }

        if (effect != ReplyFault.Delay)
        {
            return reply;
        }

        var delay = Faults.Spec.DelayAckBy;
        if (!_lockstep)
        {
            return reply with { Delay = delay };
        }

        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Defer(FaultNow + (long)delay.TotalMilliseconds, () =>
        {
            if (origin is not null)
            {
                SendWithFaults(origin, Envelope(requestId, reply, returnRateLimits), isStream: false);
            }

            released.TrySetResult();
        });
        return reply with { HeldUntilStep = released.Task };
    }

    /// <summary>Queues a reply that a delay fault held back (called after the delay, outside the request).</summary>
    public void SendLate(SimConnection origin, string requestId, ApiReply reply, bool returnRateLimits)
    {
        lock (_gate)
        {
            if (_connections.Contains(origin))
            {
                origin.Send(Envelope(requestId, reply, returnRateLimits));
            }
        }
    }

    public static byte[] Envelope(string requestId, ApiReply reply, bool returnRateLimits) =>
        BinanceJson.Build(w => BinanceJson.Envelope(w, requestId, reply.Status, reply.IsError, reply.Body, returnRateLimits ? reply.Limits : null));

    /// <summary>
    /// Every method, REST and WebSocket API alike (REST routes map to these names): its weight, whether it is signed,
    /// and its handler. One table, so weight, security and dispatch cannot disagree.
    /// </summary>
    private static readonly FrozenDictionary<string, Method> Methods = new Dictionary<string, Method>
    {
        ["ping"] = new(_ => 1, Security.None, static (_, _) => "{}"u8.ToArray()),
        ["time"] = new(_ => 1, Security.None, static (x, _) => x.ServerTime()),
        ["exchangeInfo"] = new(_ => 20, Security.None, static (x, r) => x.ExchangeInfo(r.Params, r.Call.Rest)),
        ["klines"] = new(_ => 2, Security.None, static (x, r) => x.Klines(r.Params)),
        ["ticker.book"] = new(p => p.Has("symbol") ? 2 : 4, Security.None, static (x, r) => x.BookTicker(r.Params)),
        ["depth"] = new(DepthWeight, Security.None, static (x, r) => x.Depth(r.Params)),
        ["ticker.24hr"] = new(p => p.Has("symbol") ? 2 : 80, Security.None, static (x, r) => x.Ticker24(r.Params)),
        ["ticker.price"] = new(p => p.Has("symbol") ? 2 : 4, Security.None, static (x, r) => x.TickerPrice(r.Params)),
        ["order.place"] = new(_ => 1, Security.Signed, static (x, r) => x.PlaceOrder(r)),
        ["orderList.place.oco"] = new(_ => 1, Security.Signed, static (x, r) => x.PlaceOco(r)),
        ["order.cancel"] = new(_ => 1, Security.Signed, static (x, r) => x.CancelOrder(r.Params, r.Events)),
        ["openOrders.cancelAll"] = new(_ => 1, Security.Signed, static (x, r) => x.CancelAll(r.Params, r.Events)),
        ["order.status"] = new(_ => 4, Security.Signed, static (x, r) => x.OrderStatus(r.Params)),
        ["openOrders.status"] = new(p => p.Has("symbol") ? 6 : 80, Security.Signed, static (x, r) => x.OpenOrders(r.Params)),
        ["allOrders"] = new(_ => 20, Security.Signed, static (x, r) => x.AllOrders(r.Params)),
        ["account.status"] = new(_ => 20, Security.Signed, static (x, r) => x.Account(r.Params)),
        ["myTrades"] = new(p => p.Has("orderId") ? 5 : 20, Security.Signed, static (x, r) => x.MyTrades(r.Params)),
        ["userDataStream.subscribe.signature"] = new(_ => 2, Security.Signed, static (x, r) => x.Subscribe(r.Origin)),
        ["userDataStream.unsubscribe"] = new(_ => 2, Security.None, static (x, r) => x.Unsubscribe(r.Params, r.Origin)),
        ["session.subscriptions"] = new(_ => 2, Security.None, static (x, r) => x.Subscriptions(r.Origin)),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static Method Describe(ApiCall call) =>
        Methods.TryGetValue(call.Method, out var m) ? m : throw new ApiException(400, -1020, "This operation is not supported.");

    private byte[] ServerTime() => BinanceJson.Build(w => BinanceJson.ServerTime(w, WallNow));

    /// <summary>One method: its weight (from the parameters), its security, its handler (run under the lock).</summary>
    private readonly record struct Method(Func<ApiParams, int> Weight, Security Security, Func<SimExchange, Request, byte[]> Handle);

    /// <summary>What a handler gets: the call, the connection it came on (WebSocket API), the user events it causes,
    /// and (set by order.place) what a fault does to its reply.</summary>
    private sealed class Request(ApiCall call, SimConnection? origin, List<UserEvent> events)
    {
        public ApiCall Call { get; } = call;

        public ApiParams Params => Call.Params;

        public SimConnection? Origin { get; } = origin;

        public List<UserEvent> Events { get; } = events;

        public ReplyFault Effect { get; set; }
    }

    private void Authenticate(ApiCall call, long now)
    {
        if (call.ApiKey is null)
        {
            throw call.Rest ? new ApiException(401, -2014, "API-key format invalid.") : ApiException.Mandatory("apiKey");
        }

        if (call.ApiKey != _options.ApiKey)
        {
            throw ApiException.RejectedKey();
        }

        var timestamp = call.Params.Long("timestamp") ?? throw ApiException.Mandatory("timestamp");
        if (timestamp >= 1_000_000_000_000_000)
        {
            timestamp /= 1000; // microseconds
        }

        var recvWindow = call.Params.Decimal("recvWindow") ?? 5000m;
        if (recvWindow <= 0 || recvWindow > 60_000)
        {
            throw ApiException.Invalid("recvWindow");
        }

        if (timestamp >= now + 1000 || now - timestamp > recvWindow)
        {
            if (_options.Faults.Skew != TimeSpan.Zero)
            {
                Faults.Count(FaultKind.Skew);
            }

            throw new ApiException(400, -1021, timestamp >= now + 1000
                ? "Timestamp for this request was 1000ms ahead of the server's time."
                : "Timestamp for this request is outside of the recvWindow.");
        }

        if (call.Signature is null)
        {
            throw ApiException.Mandatory("signature");
        }

        if (!Signing.Verify(_hmac, call.SignedPayload, call.Signature))
        {
            throw new ApiException(400, -1022, "Signature for this request is not valid.");
        }
    }

    private string TooMuchWeightMessage =>
        $"Too much request weight used; current limit is {_weight.Limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.";

    private ApiException TooMuchWeight(long now) => new(429, -1003, TooMuchWeightMessage, RetryAt(_weight, now) is var at && at > now ? at : now + 60_000);

    private List<RateLimitCount> Limits(long now, bool orders)
    {
        var list = new List<RateLimitCount> { Count(_weight, now) };
        if (orders)
        {
            list.Add(Count(_orders10S, now));
            list.Add(Count(_ordersDay, now));
        }

        return list;
    }

    private static RateLimitCount Count(RateLimit l, long now) => new(l.Type, l.Interval, l.IntervalNum, l.Limit, l.CurrentCount(now));

    private void CheckSymbol(ApiParams p)
    {
        if (p.Required("symbol") != _symbol)
        {
            throw ApiException.BadSymbol();
        }
    }
}
