using Trading.Core.Orders;
using Trading.Sim.Api;

namespace Trading.Sim.Matching;

/// <summary>
/// Conditional orders (STOP_LOSS[_LIMIT], TAKE_PROFIT[_LIMIT]) and OCO order lists. Triggers are checked at every
/// replayed trade print, along the documented intra-candle path (open → nearer extreme → other extreme → close), before
/// resting orders match that print. A triggered STOP_LOSS/TAKE_PROFIT fills at the touch like a MARKET order (expiring
/// if the account cannot pay); a triggered *_LIMIT order fills at the touch when its price reaches it, else rests on the
/// book (executionReport NEW with <c>w</c> true). An OCO's two orders share one lock (SELL: the quantity; BUY: the larger
/// of the two); when one triggers or trades, the other expires with <c>OCO_TRIGGER</c> and the list is ALL_DONE.
/// </summary>
internal sealed partial class MatchingEngine
{
    private long _nextOrderListId;

    /// <summary>Whether a last price of <paramref name="last"/> triggers the condition.</summary>
    public static bool Triggers(TriggerKind trigger, OrderSide side, decimal stopPrice, decimal last) => last > 0 && trigger switch
    {
        TriggerKind.StopLoss => side == OrderSide.Sell ? last <= stopPrice : last >= stopPrice,
        TriggerKind.TakeProfit => side == OrderSide.Sell ? last >= stopPrice : last <= stopPrice,
        _ => false,
    };

    /// <summary>
    /// Places an OCO: the below order (under the last price) and the above order (over it), one of them a
    /// LIMIT_MAKER/TAKE_PROFIT[_LIMIT], the other a STOP_LOSS[_LIMIT] (web-socket-api.md, orderList.place.oco).
    /// </summary>
    public (OrderListEvent List, List<(OrderSnapshot Order, IReadOnlyList<SimFill> Fills)> Orders, List<UserEvent> Events) PlaceOco(
        in PlaceRequest below, in PlaceRequest above, string? listClientOrderId, long now)
    {
        static bool IsStop(in PlaceRequest r) => r.Trigger == TriggerKind.StopLoss;
        if (IsStop(below) == IsStop(above))
        {
            throw ApiException.NewOrderRejected("Unsupported order combination");
        }

        static decimal Level(in PlaceRequest r) => r.Trigger == TriggerKind.None ? r.Price : r.StopPrice;
        if (!(Level(above) > LastPrice && Level(below) < LastPrice))
        {
            throw ApiException.NewOrderRejected("The relationship of the prices for the orders is not correct.");
        }

        if (_open.Count + 2 > MaxOpenOrders)
        {
            throw ApiException.Filter("MAX_NUM_ORDERS");
        }

        var side = below.Side;
        var lockBelow = side == OrderSide.Sell ? below.Quantity : LockOf(below);
        var lockAbove = side == OrderSide.Sell ? above.Quantity : LockOf(above);
        var wallet = _balances[side == OrderSide.Buy ? _instrument.QuoteAsset : _instrument.BaseAsset];
        var need = Math.Max(lockBelow, lockAbove);
        if (wallet.Free < need)
        {
            throw ApiException.NewOrderRejected(ApiException.InsufficientBalance);
        }

        var listId = _nextOrderListId++;
        var listClientId = listClientOrderId ?? $"sim-list-{listId:D6}";
        var first = Place(below, now, fundsHeldBySibling: false, listId);
        var low = _orders[first.Order.OrderId];
        PlaceResult second;
        try
        {
            second = Place(above, now, fundsHeldBySibling: true, listId);
        }
        catch (ApiException)
        {
            // The pair is placed whole or not at all.
            Close(low, OrderStatus.Canceled, now);
            _orders.Remove(low.OrderId);
            throw;
        }

        var high = _orders[second.Order.OrderId];
        if (need > low.Locked)
        {
            wallet.Free -= need - low.Locked;
            wallet.Locked += need - low.Locked;
            low.Locked = need;
        }

        low.Sibling = high;
        high.Sibling = low;
        low.ListClientOrderId = high.ListClientOrderId = listClientId;
        var list = ListEvent(low, "EXEC_STARTED", "EXECUTING", now);
        var events = first.Events.Concat(second.Events).Where(e => e.Balances is null).ToList();
        events.Add(new UserEvent(now, null, null, list));
        events.Add(BalancesEvent(now));
        return (list, [(low.Snapshot(), first.Fills), (high.Snapshot(), second.Fills)], events);
    }

    /// <summary>Triggers the conditional orders this print reaches, oldest first.</summary>
    private void FireTriggers(decimal price, List<UserEvent> events, long now)
    {
        foreach (var o in _open.Where(o => o.Trigger != TriggerKind.None && !o.Triggered).OrderBy(o => o.Sequence).ToList())
        {
            if (!o.IsOpen || !Triggers(o.Trigger, o.Side, o.StopPrice, price))
            {
                continue;
            }

            EndPair(o, events, now);
            o.Triggered = true;
            o.WorkingTime = now;
            o.UpdateTime = now;
            if (o.Type == OrderType.Market)
            {
                FillWaitingMarketOrder(o, events, now);
                continue;
            }

            var touch = o.Side == OrderSide.Buy ? Ask : Bid;
            if (touch > 0 && (o.Side == OrderSide.Buy ? o.Price >= touch : o.Price <= touch))
            {
                _open.Remove(o);
                var fill = Execute(o, touch, o.Remaining, maker: false, now);
                events.Add(Report(o, "TRADE", fill, "", now));
            }
            else if (o.TimeInForce != TimeInForce.Gtc)
            {
                o.ExpiryReason = o.TimeInForce == TimeInForce.Fok ? "UNFILLED_FOK_ORDER_EXPIRED" : "UNFILLED_IOC_QUANTITY_EXPIRED";
                Close(o, OrderStatus.Expired, now);
                events.Add(Report(o, "EXPIRED", null, "", now));
            }
            else
            {
                o.OnBook = true;
                events.Add(Report(o, "NEW", null, "", now));
            }
        }
    }

    /// <summary>An OCO order is about to trade or has triggered: it takes the pair's lock and the other order expires
    /// (<c>OCO_TRIGGER</c>); the list is ALL_DONE.</summary>
    private void EndPair(SimOrder order, List<UserEvent> events, long now)
    {
        if (order.Sibling is not { IsOpen: true } other)
        {
            return;
        }

        ShareLock(other, order);
        other.ExpiryReason = "OCO_TRIGGER";
        Close(other, OrderStatus.Expired, now);
        events.Add(Report(other, "EXPIRED", null, "", now));
        events.Add(new UserEvent(now, null, null, ListEvent(order, "ALL_DONE", "ALL_DONE", now)));
    }

    /// <summary>Moves what <paramref name="from"/> locks to <paramref name="to"/> (the same wallet: an OCO pair).</summary>
    private static void ShareLock(SimOrder from, SimOrder to)
    {
        to.Locked += from.Locked;
        from.Locked = 0;
    }

    private OrderListEvent ListEvent(SimOrder order, string statusType, string orderStatus, long now)
    {
        var pair = new[] { order, order.Sibling! }.OrderBy(o => o.OrderId).Select(o => (o.OrderId, o.ClientOrderId)).ToList();
        return new OrderListEvent(order.OrderListId, order.ListClientOrderId ?? "", statusType, orderStatus, now, pair);
    }

    /// <summary>The quote a BUY leg locks: its limit price, or its stop price for a STOP_LOSS / TAKE_PROFIT.</summary>
    private decimal LockOf(in PlaceRequest r) => BuyLock(r.Type == OrderType.Limit ? r.Price : r.StopPrice, r.Quantity);
}
