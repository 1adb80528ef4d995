using Trading.Core.Orders;
using Trading.Sim.Api;
using Trading.Sim.Faults;
using Trading.Sim.Matching;

namespace Trading.Sim;

/// <summary>The order handlers: place, cancel, cancel all (with the order faults they decide).</summary>
internal sealed partial class SimExchange
{
    private byte[] PlaceOrder(Request call)
    {
        var p = call.Params;
        var events = call.Events;
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

        // "MARKET and LIMIT order types default to FULL, all other orders default to ACK."
        var respType = p.Get("newOrderRespType") ?? (typeName is "MARKET" or "LIMIT" ? "FULL" : "ACK");
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

        var order = new PlaceRequest(side, type, postOnly, tif, price, quantity, quoteQty, p.Get("newClientOrderId"));
        if (Faults.Decide(FaultKind.UnknownOutcome, spec.UnknownOutcome, ordinal))
        {
            // The backend timed out: the order may or may not be on the book; the client is told neither.
            if (Faults.DecideAlso(FaultKind.UnknownOutcome, spec.UnknownOutcomePlaced, ordinal))
            {
                try
                {
                    events.AddRange(_engine.Place(order, _market.Now).Events);
                }
                catch (ApiException)
                {
                    // Refused by the engine: then it was not placed after all.
                }
            }

            throw new ApiException(503, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.");
        }

        var result = _engine.Place(order, _market.Now);
        events.AddRange(result.Events);
        if (Faults.Decide(FaultKind.LoseAck, spec.LoseAck, ordinal))
        {
            call.Effect = ReplyFault.Lose;
        }
        else if (Faults.Decide(FaultKind.DelayAck, spec.DelayAck, ordinal))
        {
            call.Effect = ReplyFault.Delay;
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

    /// <summary>openOrders.cancelAll / DELETE /api/v3/openOrders: cancels every open order of the symbol, oldest first;
    /// -2011 when there is none.</summary>
    private byte[] CancelAll(ApiParams p, List<UserEvent> events)
    {
        CheckSymbol(p);
        var open = _engine.OpenOrders.OrderBy(o => o.OrderId).ToList();
        if (open.Count == 0)
        {
            throw ApiException.CancelRejected(ApiException.UnknownOrder);
        }

        var results = new List<(OrderSnapshot Order, string Old)>();
        foreach (var o in open)
        {
            var (order, old, cancelEvents) = _engine.Cancel(o.OrderId, null, null, _market.Now);
            events.AddRange(cancelEvents);
            results.Add((order, old));
        }

        return BinanceJson.Build(w =>
        {
            w.WriteStartArray();
            foreach (var (order, old) in results)
            {
                BinanceJson.CancelResult(w, _symbol, order, old);
            }

            w.WriteEndArray();
        });
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
}
