using System.Globalization;
using System.Text.Json;
using Trading.Core.Orders;
using Trading.Sim.Api;
using Trading.Sim.Faults;
using Trading.Sim.Matching;
using Trading.Sim.Transport;

namespace Trading.Sim;

/// <summary>The request methods shared by REST and the WebSocket API (see <see cref="SimExchange"/> for threading).</summary>
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
        lock (_gate)
        {
            var now = WallNow;
            var events = new List<UserEvent>();
            var countsOrders = false;
            var closeAll = false;
            var effect = ReplyFault.None;
            ApiReply reply;
            try
            {
                var (weight, security) = Describe(call);
                CheckRequestFaults(now, ref closeAll);
                if (!_weight.Add(weight, now))
                {
                    throw TooMuchWeight(now);
                }

                if (security == Security.Signed)
                {
                    Authenticate(call, now);
                }

                countsOrders = call.Method == "order.place";
                var body = Dispatch(call, origin, events, ref effect);
                reply = new ApiReply(200, body, false, null, Limits(now, countsOrders), TimeSpan.Zero, countsOrders);
            }
            catch (ApiException e)
            {
                if (e.Status == 429 && e.RetryAfterMs is { } retryAt)
                {
                    NoteRetryAfter(retryAt);
                }

                var body = BinanceJson.Build(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("code", e.Code);
                    w.WriteString("msg", e.Message);
                    if (e.RetryAfterMs is { } retry && origin is not null)
                    {
                        w.WriteStartObject("data");
                        w.WriteNumber("serverTime", now);
                        w.WriteNumber("retryAfter", retry);
                        w.WriteEndObject();
                    }

                    w.WriteEndObject();
                });
                reply = new ApiReply(e.Status, body, true, e.RetryAfterMs, Limits(now, countsOrders), TimeSpan.Zero, countsOrders);
            }
            catch (Exception other) when (other is not OperationCanceledException)
            {
                // A bug must still get an answer (Binance's -1000), never silence that a client would wait on.
                var e = new ApiException(500, -1000, "An unknown error occurred while processing the request.");
                reply = new ApiReply(e.Status, BinanceJson.Build(w => BinanceJson.Error(w, e.Code, e.Message)), true, null,
                    Limits(now, countsOrders), TimeSpan.Zero, countsOrders);
            }

            reply = ApplyReplyFault(reply, effect, origin, requestId ?? "null", returnRateLimits);
            if (origin is not null && reply is { Delay.Ticks: 0, Lost: false, HeldUntilStep: null })
            {
                SendWithFaults(origin, Envelope(requestId ?? "null", reply, returnRateLimits), isStream: false);
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

    public static byte[] Envelope(string requestId, ApiReply reply, bool returnRateLimits) => BinanceJson.Build(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("id");
        w.WriteRawValue(requestId, skipInputValidation: true);
        w.WriteNumber("status", reply.Status);
        w.WritePropertyName(reply.IsError ? "error" : "result");
        w.WriteRawValue(reply.Body, skipInputValidation: true);
        if (returnRateLimits)
        {
            w.WriteStartArray("rateLimits");
            foreach (var l in reply.Limits)
            {
                w.WriteStartObject();
                w.WriteString("rateLimitType", l.Type);
                w.WriteString("interval", l.Interval);
                w.WriteNumber("intervalNum", l.IntervalNum);
                w.WriteNumber("limit", l.Limit);
                w.WriteNumber("count", l.Count);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    });

    private (int Weight, Security Security) Describe(ApiCall call) => call.Method switch
    {
        "ping" or "time" => (1, Security.None),
        "exchangeInfo" => (20, Security.None),
        "klines" => (2, Security.None),
        "ticker.book" => (call.Params.Has("symbol") ? 2 : 4, Security.None),
        "order.place" or "order.cancel" => (1, Security.Signed),
        "order.status" => (4, Security.Signed),
        "openOrders.status" => (call.Params.Has("symbol") ? 6 : 80, Security.Signed),
        "account.status" or "myTrades" => (20, Security.Signed),
        "userDataStream.subscribe.signature" => (2, Security.Signed),
        "userDataStream.unsubscribe" or "session.subscriptions" => (2, Security.None),
        _ => throw new ApiException(400, -1020, "This operation is not supported."),
    };

    private byte[] Dispatch(ApiCall call, SimConnection? origin, List<UserEvent> events, ref ReplyFault effect)
    {
        var p = call.Params;
        switch (call.Method)
        {
            case "ping":
                return "{}"u8.ToArray();
            case "time":
                return BinanceJson.Build(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("serverTime", WallNow);
                    w.WriteEndObject();
                });
            case "exchangeInfo":
                return ExchangeInfo(p);
            case "klines":
                return Klines(p);
            case "ticker.book":
                return BookTicker(p);
            case "order.place":
                return PlaceOrder(p, events, ref effect);
            case "order.cancel":
                return CancelOrder(p, events);
            case "order.status":
                return OrderStatus(p);
            case "openOrders.status":
                if (p.Get("symbol") is not null)
                {
                    CheckSymbol(p);
                }

                return BinanceJson.Build(w =>
                {
                    w.WriteStartArray();
                    foreach (var o in _engine.OpenOrders)
                    {
                        BinanceJson.OrderStatus(w, _symbol, o.Snapshot());
                    }

                    w.WriteEndArray();
                });
            case "account.status":
                return Account(p);
            case "myTrades":
                return MyTrades(p);
            case "userDataStream.subscribe.signature":
                return Subscribe(origin);
            case "userDataStream.unsubscribe":
                return Unsubscribe(p, origin);
            default:
                return BinanceJson.Build(w =>
                {
                    w.WriteStartArray();
                    if (origin?.UserDataSubscriptionId is { } id)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("subscriptionId", id);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
        }
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

    private ApiException TooMuchWeight(long now) => new(429, -1003, TooMuchWeightMessage, _weight.NextWindow > now ? _weight.NextWindow : now + 60_000);

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

    private byte[] PlaceOrder(ApiParams p, List<UserEvent> events, ref ReplyFault effect)
    {
        // Order faults are decided by the ordinal of the order.place call, whatever else is connected.
        var ordinal = _orderOrdinal++;
        CheckSymbol(p);
        var side = ParseSide(p.Required("side"));
        var typeName = p.Required("type");
        var (type, postOnly) = typeName switch
        {
            "MARKET" => (OrderType.Market, false),
            "LIMIT" => (OrderType.Limit, false),
            "LIMIT_MAKER" => (OrderType.Limit, true),
            "STOP_LOSS" or "STOP_LOSS_LIMIT" or "TAKE_PROFIT" or "TAKE_PROFIT_LIMIT" =>
                throw ApiException.NewOrderRejected("Unsupported order combination"),
            _ => throw new ApiException(400, -1116, "Invalid orderType."),
        };
        var tif = TimeInForce.Gtc;
        var price = 0m;
        var quantity = 0m;
        var quoteQty = 0m;
        if (type == OrderType.Market || postOnly)
        {
            if (p.Has("timeInForce"))
            {
                throw new ApiException(400, -1114, "TimeInForce parameter sent when not required.");
            }
        }
        else
        {
            tif = p.Required("timeInForce") switch
            {
                "GTC" => TimeInForce.Gtc,
                "IOC" => TimeInForce.Ioc,
                "FOK" => TimeInForce.Fok,
                _ => throw new ApiException(400, -1115, "Invalid timeInForce."),
            };
        }

        if (type == OrderType.Limit)
        {
            price = p.Decimal("price") ?? throw ApiException.Mandatory("price");
            quantity = p.Decimal("quantity") ?? throw ApiException.Mandatory("quantity");
            if (p.Has("quoteOrderQty"))
            {
                throw ApiException.NotRequired("quoteOrderQty");
            }
        }
        else
        {
            if (p.Has("price"))
            {
                throw ApiException.NotRequired("price");
            }

            var q = p.Decimal("quantity");
            var qq = p.Decimal("quoteOrderQty");
            if (q is null && qq is null)
            {
                throw new ApiException(400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
            }

            if (q is not null && qq is not null)
            {
                throw ApiException.NotRequired("quoteOrderQty");
            }

            quantity = q ?? 0m;
            quoteQty = qq ?? 0m;
        }

        var respType = p.Get("newOrderRespType") ?? "FULL";
        if (respType is not ("ACK" or "RESULT" or "FULL"))
        {
            throw ApiException.Invalid("newOrderRespType");
        }

        if (p.Values.TryGetValue("newClientOrderId", out var cid) && cid.Length == 0)
        {
            throw new ApiException(400, -1118, "New client order ID was empty.");
        }

        var now = WallNow;
        var over10S = !_orders10S.Add(1, now);
        var overDay = !_ordersDay.Add(1, now);
        if (over10S || overDay)
        {
            var limit = over10S ? _orders10S : _ordersDay;
            throw new ApiException(429, -1015,
                $"Too many new orders; current limit is {limit.Limit} orders per {limit.IntervalNum} {limit.Interval}.", limit.NextWindow);
        }

        var spec = Faults.Spec;
        if (Faults.Decide(FaultKind.Reject, spec.Reject, ordinal))
        {
            throw ApiException.NewOrderRejected("Order rejected by the simulator's fault injection.");
        }

        var request = new PlaceRequest(side, type, postOnly, tif, price, quantity, quoteQty, p.Get("newClientOrderId"));
        if (Faults.Decide(FaultKind.UnknownOutcome, spec.UnknownOutcome, ordinal))
        {
            // The backend timed out: the order may or may not be on the book; the client is told neither.
            if (Faults.DecideAlso(FaultKind.UnknownOutcome, spec.UnknownOutcomePlaced, ordinal))
            {
                try
                {
                    events.AddRange(_engine.Place(request, _market.Now).Events);
                }
                catch (ApiException)
                {
                    // Refused by the engine: then it was not placed after all.
                }
            }

            throw new ApiException(503, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.");
        }

        var result = _engine.Place(request, _market.Now);
        events.AddRange(result.Events);
        if (Faults.Decide(FaultKind.LoseAck, spec.LoseAck, ordinal))
        {
            effect = ReplyFault.Lose;
        }
        else if (Faults.Decide(FaultKind.DelayAck, spec.DelayAck, ordinal))
        {
            effect = ReplyFault.Delay;
        }

        return BinanceJson.Build(w => BinanceJson.OrderResult(w, _symbol, result.Order, respType, result.Fills));
    }

    private byte[] CancelOrder(ApiParams p, List<UserEvent> events)
    {
        var cancelOrdinal = _cancelOrdinal++;
        CheckSymbol(p);
        var (orderId, clientId) = OrderRef(p);
        var restriction = p.Get("cancelRestrictions");
        if (restriction is not (null or "ONLY_NEW" or "ONLY_PARTIALLY_FILLED"))
        {
            throw new ApiException(400, -1145, "Invalid cancelRestrictions");
        }

        if (restriction is not null && _engine.Find(orderId, clientId) is { IsOpen: true } target &&
            (restriction == "ONLY_NEW") != (target.Status == Core.Orders.OrderStatus.New))
        {
            throw ApiException.CancelRejected("Order was not canceled due to cancel restrictions.");
        }

        if (_engine.Find(orderId, clientId) is { IsOpen: true } racing && Faults.Decide(FaultKind.CancelRace, Faults.Spec.CancelRace, cancelOrdinal))
        {
            // The fill got there first: the order is filled, and the cancel finds nothing to cancel (-2011 below).
            events.AddRange(_engine.FillNow(racing, _market.Now));
        }

        var (order, old, cancelEvents) = _engine.Cancel(orderId, clientId, p.Get("newClientOrderId"), _market.Now);
        events.AddRange(cancelEvents);
        return BinanceJson.Build(w => BinanceJson.CancelResult(w, _symbol, order, old));
    }

    private byte[] OrderStatus(ApiParams p)
    {
        CheckSymbol(p);
        var (orderId, clientId) = OrderRef(p);
        var order = _engine.Find(orderId, clientId);
        if (order is null)
        {
            if (orderId is not null && clientId is not null && _engine.Find(orderId, null) is not null)
            {
                throw new ApiException(400, -2039, "Client order ID is not correct for this order ID.");
            }

            throw new ApiException(400, -2013, "Order does not exist.");
        }

        return BinanceJson.Build(w => BinanceJson.OrderStatus(w, _symbol, order.Snapshot()));
    }

    private static (long? OrderId, string? ClientId) OrderRef(ApiParams p)
    {
        var orderId = p.Long("orderId");
        var clientId = p.Get("origClientOrderId");
        if (orderId is null && clientId is null)
        {
            throw new ApiException(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
        }

        return (orderId, clientId);
    }

    private byte[] Account(ApiParams p)
    {
        var omitZero = p.Bool("omitZeroBalances") ?? false;
        var maker = (int)(_engine.MakerRate * 10_000);
        var taker = (int)(_engine.TakerRate * 10_000);
        return BinanceJson.Build(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("makerCommission", maker);
            w.WriteNumber("takerCommission", taker);
            w.WriteNumber("buyerCommission", 0);
            w.WriteNumber("sellerCommission", 0);
            w.WriteStartObject("commissionRates");
            w.WriteString("maker", BinanceJson.D(_engine.MakerRate));
            w.WriteString("taker", BinanceJson.D(_engine.TakerRate));
            w.WriteString("buyer", BinanceJson.D(0));
            w.WriteString("seller", BinanceJson.D(0));
            w.WriteEndObject();
            w.WriteBoolean("canTrade", true);
            w.WriteBoolean("canWithdraw", false);
            w.WriteBoolean("canDeposit", false);
            w.WriteBoolean("brokered", false);
            w.WriteBoolean("requireSelfTradePrevention", false);
            w.WriteBoolean("preventSor", false);
            w.WriteNumber("updateTime", _engine.UpdateTime);
            w.WriteString("accountType", "SPOT");
            w.WriteStartArray("balances");
            foreach (var b in _engine.Balances)
            {
                if (!omitZero || b.Free != 0 || b.Locked != 0)
                {
                    BinanceJson.Balance(w, b);
                }
            }

            w.WriteEndArray();
            w.WriteStartArray("permissions");
            w.WriteStringValue("SPOT");
            w.WriteEndArray();
            w.WriteNumber("uid", 1);
            w.WriteEndObject();
        });
    }

    private byte[] MyTrades(ApiParams p)
    {
        CheckSymbol(p);
        var orderId = p.Long("orderId");
        var from = p.Long("startTime") ?? long.MinValue;
        var to = p.Long("endTime") ?? long.MaxValue;
        var fromId = p.Long("fromId");
        var limit = (int)(p.Long("limit") ?? 500);
        if (limit is < 1 or > 1000)
        {
            throw ApiException.Invalid("limit");
        }

        var trades = _engine.Trades.Where(t => (orderId is null || t.OrderId == orderId) && t.Fill.Time >= from && t.Fill.Time <= to
            && (fromId is null || t.Fill.TradeId >= fromId)).ToList();
        trades = fromId is null && p.Get("startTime") is null && trades.Count > limit ? trades[^limit..] : trades.Take(limit).ToList();
        return BinanceJson.Build(w =>
        {
            w.WriteStartArray();
            foreach (var (f, id) in trades)
            {
                BinanceJson.MyTrade(w, _symbol, f);
            }

            w.WriteEndArray();
        });
    }

    private byte[] BookTicker(ApiParams p)
    {
        var single = p.Get("symbol") is not null;
        if (single)
        {
            CheckSymbol(p);
        }

        return BinanceJson.Build(w =>
        {
            if (!single)
            {
                w.WriteStartArray();
            }

            w.WriteStartObject();
            w.WriteString("symbol", _symbol);
            w.WriteString("bidPrice", BinanceJson.D(_engine.Bid));
            w.WriteString("bidQty", BinanceJson.D(_market.LastQuantity));
            w.WriteString("askPrice", BinanceJson.D(_engine.Ask));
            w.WriteString("askQty", BinanceJson.D(_market.LastQuantity));
            w.WriteEndObject();
            if (!single)
            {
                w.WriteEndArray();
            }
        });
    }

    private byte[] Klines(ApiParams p)
    {
        CheckSymbol(p);
        var interval = p.Required("interval");
        if (interval != _interval)
        {
            throw new ApiException(400, -1120, "Invalid interval.");
        }

        var limit = (int)(p.Long("limit") ?? 500);
        if (limit is < 1 or > 1000)
        {
            throw ApiException.Invalid("limit");
        }

        var start = p.Long("startTime");
        var klines = _market.History(start ?? long.MinValue, p.Long("endTime") ?? long.MaxValue, limit, fromStart: start is not null);
        return BinanceJson.Build(w =>
        {
            w.WriteStartArray();
            foreach (var k in klines)
            {
                BinanceJson.KlineArray(w, k);
            }

            w.WriteEndArray();
        });
    }

    private byte[] ExchangeInfo(ApiParams p)
    {
        if (p.Get("symbol") is { } s && s != _symbol)
        {
            throw ApiException.BadSymbol();
        }

        if (p.Get("symbols") is { } list)
        {
            string[]? names;
            try
            {
                names = JsonSerializer.Deserialize<string[]>(list);
            }
            catch (JsonException)
            {
                throw ApiException.Invalid("symbols");
            }

            if (names is null || names.Any(n => n != _symbol))
            {
                throw ApiException.BadSymbol();
            }
        }

        var i = _options.Instrument;
        return BinanceJson.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("timezone", "UTC");
            w.WriteNumber("serverTime", WallNow);
            w.WriteStartArray("rateLimits");
            foreach (var l in new[] { _weight, _orders10S, _ordersDay })
            {
                w.WriteStartObject();
                w.WriteString("rateLimitType", l.Type);
                w.WriteString("interval", l.Interval);
                w.WriteNumber("intervalNum", l.IntervalNum);
                w.WriteNumber("limit", l.Limit);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("exchangeFilters");
            w.WriteEndArray();
            w.WriteStartArray("symbols");
            w.WriteStartObject();
            w.WriteString("symbol", i.Symbol);
            w.WriteString("status", "TRADING");
            w.WriteString("baseAsset", i.BaseAsset);
            w.WriteNumber("baseAssetPrecision", 8);
            w.WriteString("quoteAsset", i.QuoteAsset);
            w.WriteNumber("quotePrecision", 8);
            w.WriteNumber("quoteAssetPrecision", 8);
            w.WriteNumber("baseCommissionPrecision", 8);
            w.WriteNumber("quoteCommissionPrecision", 8);
            w.WriteStartArray("orderTypes");
            w.WriteStringValue("LIMIT");
            w.WriteStringValue("LIMIT_MAKER");
            w.WriteStringValue("MARKET");
            w.WriteEndArray();
            w.WriteBoolean("icebergAllowed", false);
            w.WriteBoolean("ocoAllowed", false);
            w.WriteBoolean("otoAllowed", false);
            w.WriteBoolean("quoteOrderQtyMarketAllowed", true);
            w.WriteBoolean("allowTrailingStop", false);
            w.WriteBoolean("cancelReplaceAllowed", false);
            w.WriteBoolean("amendAllowed", false);
            w.WriteBoolean("isSpotTradingAllowed", true);
            w.WriteBoolean("isMarginTradingAllowed", false);
            w.WriteStartArray("filters");
            w.WriteStartObject();
            w.WriteString("filterType", "PRICE_FILTER");
            w.WriteString("minPrice", BinanceJson.D(i.TickSize));
            w.WriteString("maxPrice", BinanceJson.D(1_000_000m));
            w.WriteString("tickSize", BinanceJson.D(i.TickSize));
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("filterType", "LOT_SIZE");
            w.WriteString("minQty", BinanceJson.D(i.MinQuantity));
            w.WriteString("maxQty", BinanceJson.D(9_000m));
            w.WriteString("stepSize", BinanceJson.D(i.LotStep));
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("filterType", "NOTIONAL");
            w.WriteString("minNotional", BinanceJson.D(i.MinNotional));
            w.WriteBoolean("applyMinToMarket", true);
            w.WriteString("maxNotional", BinanceJson.D(9_000_000m));
            w.WriteBoolean("applyMaxToMarket", false);
            w.WriteNumber("avgPriceMins", 0);
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("filterType", "MAX_NUM_ORDERS");
            w.WriteNumber("maxNumOrders", 200);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("permissions");
            w.WriteEndArray();
            w.WriteStartArray("permissionSets");
            w.WriteStartArray();
            w.WriteStringValue("SPOT");
            w.WriteEndArray();
            w.WriteEndArray();
            w.WriteString("defaultSelfTradePreventionMode", "NONE");
            w.WriteStartArray("allowedSelfTradePreventionModes");
            w.WriteStringValue("NONE");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private byte[] Subscribe(SimConnection? origin)
    {
        if (origin is null)
        {
            throw new ApiException(400, -1020, "This operation is not supported.");
        }

        if (origin.UserDataSubscriptionId is not null)
        {
            throw new ApiException(400, -2035, "User Data Stream subscription already active.");
        }

        var id = origin.NextSubscriptionId++;
        origin.UserDataSubscriptionId = id;
        return BinanceJson.Build(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("subscriptionId", id);
            w.WriteEndObject();
        });
    }

    private byte[] Unsubscribe(ApiParams p, SimConnection? origin)
    {
        var requested = p.Long("subscriptionId");
        if (origin?.UserDataSubscriptionId is not { } active || (requested is not null && requested != active))
        {
            throw new ApiException(400, -2036, "User Data Stream subscription not active.");
        }

        origin.UserDataSubscriptionId = null;
        var now = _market.Now;
        origin.Send(BinanceJson.Build(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("subscriptionId", active);
            w.WriteStartObject("event");
            w.WriteString("e", "eventStreamTerminated");
            w.WriteNumber("E", now);
            w.WriteEndObject();
            w.WriteEndObject();
        }));
        return "{}"u8.ToArray();
    }

}
