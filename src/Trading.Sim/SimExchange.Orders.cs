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
        _placeRequests++;
        CheckSymbol(p);
        var side = ParseSide(p.Required("side"));
        var typeName = p.Required("type");
        var request = ParseOrder(p, side, typeName, "", p.Decimal("quantity"));
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

        var now = LimitNow;
        var over10S = !_orders10S.Add(1, now);
        var overDay = !_ordersDay.Add(1, now);
        if (over10S || overDay)
        {
            var limit = over10S ? _orders10S : _ordersDay;
            throw new ApiException(429, -1015,
                $"Too many new orders; current limit is {limit.Limit} orders per {limit.IntervalNum} {limit.Interval}.", RetryAt(limit, WallNow));
        }

        var spec = Faults.Spec;
        if (Faults.Decide(FaultKind.Reject, spec.Reject, ordinal))
        {
            throw ApiException.NewOrderRejected("Order rejected by the simulator's fault injection.");
        }

        var order = request;
        if (Faults.Decide(FaultKind.UnknownOutcome, spec.UnknownOutcome, ordinal))
        {
            // The backend timed out: the order may or may not be on the book; the client is told neither.
            if (Faults.DecideAlso(FaultKind.UnknownOutcome, spec.UnknownOutcomePlaced, ordinal))
            {
                try
                {
                    var placed = _engine.Place(order, _market.Now);
                    NotePlaced(placed.Order);
                    events.AddRange(placed.Events);
                }
                catch (ApiException)
                {
                    // Refused by the engine: then it was not placed after all.
                }
            }

            throw new ApiException(503, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.");
        }

        var result = _engine.Place(order, _market.Now);
        NotePlaced(result.Order);
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

    /// <summary>
    /// Parses one order's type, time in force, price, stop price and quantities, as order.place takes them or, with
    /// <paramref name="prefix"/> "above"/"below", as an OCO leg (<c>abovePrice</c>, <c>aboveStopPrice</c>, …).
    /// </summary>
    private static PlaceRequest ParseOrder(ApiParams p, Core.Orders.OrderSide side, string typeName, string prefix, decimal? quantityParam)
    {
        string Name(string field) => prefix.Length == 0 ? field : prefix + char.ToUpperInvariant(field[0]) + field[1..];
        var (type, postOnly, trigger) = typeName switch
        {
            "MARKET" => (OrderType.Market, false, TriggerKind.None),
            "LIMIT" => (OrderType.Limit, false, TriggerKind.None),
            "LIMIT_MAKER" => (OrderType.Limit, true, TriggerKind.None),
            "STOP_LOSS" => (OrderType.Market, false, TriggerKind.StopLoss),
            "STOP_LOSS_LIMIT" => (OrderType.Limit, false, TriggerKind.StopLoss),
            "TAKE_PROFIT" => (OrderType.Market, false, TriggerKind.TakeProfit),
            "TAKE_PROFIT_LIMIT" => (OrderType.Limit, false, TriggerKind.TakeProfit),
            _ => throw new ApiException(400, -1116, "Invalid orderType."),
        };
        var tif = TimeInForce.Gtc;
        if (type == OrderType.Market || postOnly)
        {
            if (p.Has(Name("timeInForce")))
            {
                throw new ApiException(400, -1114, "TimeInForce parameter sent when not required.");
            }
        }
        else
        {
            tif = p.Required(Name("timeInForce")) switch
            {
                "GTC" => TimeInForce.Gtc,
                "IOC" => TimeInForce.Ioc,
                "FOK" => TimeInForce.Fok,
                _ => throw new ApiException(400, -1115, "Invalid timeInForce."),
            };
        }

        var stopPrice = 0m;
        if (trigger != TriggerKind.None)
        {
            if (p.Has(Name("trailingDelta")))
            {
                throw ApiException.NewOrderRejected("Unsupported order combination"); // trailing stops: not simulated
            }

            stopPrice = p.Decimal(Name("stopPrice")) ?? throw ApiException.Mandatory(Name("stopPrice"));
        }
        else if (p.Has(Name("stopPrice")))
        {
            throw ApiException.NotRequired(Name("stopPrice"));
        }

        var price = 0m;
        var quantity = 0m;
        var quoteQty = 0m;
        if (type == OrderType.Limit)
        {
            price = p.Decimal(Name("price")) ?? throw ApiException.Mandatory(Name("price"));
            quantity = quantityParam ?? throw ApiException.Mandatory("quantity");
            if (p.Has("quoteOrderQty"))
            {
                throw ApiException.NotRequired("quoteOrderQty");
            }
        }
        else
        {
            if (p.Has(Name("price")))
            {
                throw ApiException.NotRequired(Name("price"));
            }

            var qq = trigger == TriggerKind.None && prefix.Length == 0 ? p.Decimal("quoteOrderQty") : null;
            if (quantityParam is null && qq is null)
            {
                throw trigger == TriggerKind.None
                    ? new ApiException(400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!")
                    : ApiException.Mandatory("quantity");
            }

            if (quantityParam is not null && qq is not null)
            {
                throw ApiException.NotRequired("quoteOrderQty");
            }

            quantity = quantityParam ?? 0m;
            quoteQty = qq ?? 0m;
        }

        var clientId = p.Get(prefix.Length == 0 ? "newClientOrderId" : Name("clientOrderId"));
        return new PlaceRequest(side, type, postOnly, tif, price, quantity, quoteQty, clientId) { Trigger = trigger, StopPrice = stopPrice };
    }

    /// <summary>
    /// orderList.place.oco / POST /api/v3/orderList/oco: the above and below orders as one list (see
    /// <see cref="MatchingEngine.PlaceOco"/>). Counts 2 towards ORDERS.
    /// </summary>
    private byte[] PlaceOco(Request call)
    {
        var p = call.Params;
        CheckSymbol(p);
        var side = ParseSide(p.Required("side"));
        var quantity = p.Decimal("quantity") ?? throw ApiException.Mandatory("quantity");
        var aboveType = p.Required("aboveType");
        var belowType = p.Required("belowType");
        if (aboveType is not ("STOP_LOSS_LIMIT" or "STOP_LOSS" or "LIMIT_MAKER" or "TAKE_PROFIT" or "TAKE_PROFIT_LIMIT")
            || belowType is not ("STOP_LOSS" or "STOP_LOSS_LIMIT" or "TAKE_PROFIT" or "TAKE_PROFIT_LIMIT" or "LIMIT_MAKER"))
        {
            throw ApiException.Invalid(aboveType is "STOP_LOSS_LIMIT" or "STOP_LOSS" or "LIMIT_MAKER" or "TAKE_PROFIT" or "TAKE_PROFIT_LIMIT" ? "belowType" : "aboveType");
        }

        var above = ParseOrder(p, side, aboveType, "above", quantity);
        var below = ParseOrder(p, side, belowType, "below", quantity);
        var respType = p.Get("newOrderRespType") ?? "FULL";
        if (respType is not ("ACK" or "RESULT" or "FULL"))
        {
            throw ApiException.Invalid("newOrderRespType");
        }

        var now = LimitNow;
        var over10S = !_orders10S.Add(2, now);
        var overDay = !_ordersDay.Add(2, now);
        if (over10S || overDay)
        {
            var limit = over10S ? _orders10S : _ordersDay;
            throw new ApiException(429, -1015,
                $"Too many new orders; current limit is {limit.Limit} orders per {limit.IntervalNum} {limit.Interval}.", RetryAt(limit, WallNow));
        }

        var (list, orders, events) = _engine.PlaceOco(below, above, p.Get("listClientOrderId"), _market.Now);
        foreach (var o in orders)
        {
            NotePlaced(o.Order);
        }

        call.Events.AddRange(events);
        return BinanceJson.Build(w => BinanceJson.OrderListResult(w, _symbol, list, orders, respType));
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
