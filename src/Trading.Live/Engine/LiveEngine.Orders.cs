using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Orders;
using Trading.Live.Risk;

namespace Trading.Live.Engine;

/// <summary>Order entry (strategy → filters → risk gate → order manager → WebSocket API) and the order manager's reports.</summary>
public sealed partial class LiveEngine
{
    private const string WarmingUpReason = "warming up: orders are refused while the declared history is fed";

    public ClientOrderId Submit(in OrderRequest request)
    {
        if (_warmingUp)
        {
            // As in the backtest: an order from the warm-up history is refused, and the strategy is told why.
            var refused = _orders.Create(request, Now);
            _orders.OnPlaceRejected(refused.Sequence, WarmingUpReason, Now);
            return refused.Id;
        }

        if (!_strategyActive)
        {
            return ClientOrderId.None; // after OnStop: not executed, no event follows
        }

        var normalized = Normalize(request);
        var order = _orders.Create(normalized, Now);
        var problem = CheckFilters(normalized);
        if (problem is not null)
        {
            _orders.OnPlaceRejected(order.Sequence, problem, Now);
            return order.Id;
        }

        var (openBuy, openSell) = OpenQuantities(order.Sequence);
        var check = _risk.Check(normalized, _lastPrice, _account.Position.Quantity, openBuy, openSell, _orders.OpenCount - 1, Now);
        if (!check.Passed)
        {
            _observer.OnRisk(check.Rule, check.Reason!, tripped: false);
            JournalRiskTrip(check.Rule, check.Reason!);
            Log.Log(StrategyLogLevel.Warning, $"risk: {check.Reason}");
            _orders.OnPlaceRejected(order.Sequence, "risk: " + check.Reason, Now);
            return order.Id;
        }

        PlaceDurably(order);
        return order.Id;
    }

    public bool Cancel(ClientOrderId id)
    {
        var order = _orders.Find(id);
        if (order is null || order.IsFinal || !_strategyActive)
        {
            return false;
        }

        SendCancel(order);
        return true;
    }

    /// <summary>Quantities onto the lot grid (down), prices onto the tick grid; a quote budget net of the taker fee.</summary>
    private OrderRequest Normalize(in OrderRequest r)
    {
        var quantity = r.Quantity > 0 ? Instrument.RoundQuantityDown(r.Quantity) : 0;
        var price = r.Type == OrderType.Limit ? Instrument.RoundPrice(r.Price) : 0;
        var stop = r.Type == OrderType.StopMarket ? Instrument.RoundPrice(r.StopPrice) : 0;

        // The strategy's budget includes the fee (Sizing); Binance's quoteOrderQty does not, so leave room for it when the
        // fee is charged in the quote asset. In the asset received (a BUY pays in base) the whole budget buys, as in the backtest.
        // A buy's budget is clamped to the free cash, as the backtest clamps it at the fill: equity (from which a strategy
        // sizes) also counts base-asset dust that no quote balance pays for.
        var budget = r.Side == OrderSide.Buy ? Math.Min(r.QuoteQuantity, _account.Cash) : r.QuoteQuantity;
        var quote = r.Quantity > 0 ? 0
            : FeeAsset == FeeAsset.Quote ? decimal.Round(budget / (1 + FeeRate), 8, MidpointRounding.ToZero)
            : budget;
        return r with { Quantity = quantity, Price = price, StopPrice = stop, QuoteQuantity = quote };
    }

    private string? CheckFilters(in OrderRequest r)
    {
        if (r.Quantity == 0)
        {
            return r.QuoteQuantity >= Instrument.MinNotional && r.Type == OrderType.Market
                ? null
                : $"quote amount {r.QuoteQuantity} is below the minimum notional {Instrument.MinNotional}";
        }

        var reference = r.Type == OrderType.Limit ? r.Price : r.Type == OrderType.StopMarket ? r.StopPrice : _lastPrice;
        return Instrument.CheckOrder(r.Quantity, reference);
    }

    private (decimal Buy, decimal Sell) OpenQuantities(long except)
    {
        decimal buy = 0, sell = 0;
        foreach (var o in _orders.OpenLiveOrders)
        {
            if (o.Sequence == except)
            {
                continue;
            }

            var rest = o.Order.RemainingQuantity;
            if (o.Order.Side == OrderSide.Buy)
            {
                buy += rest;
            }
            else
            {
                sell += rest;
            }
        }

        return (buy, sell);
    }

    private void SendPlace(LiveOrder order)
    {
        if (SendOcoLeg(order))
        {
            return; // an OCO leg leaves with its list (LiveEngine.Oco.cs)
        }

        var id = _venue.Place(order, VenueNow());
        if (id < 0)
        {
            _orders.OnPlaceRejected(order.Sequence, "not connected to the venue", Now);
            return;
        }

        order.PendingRequestId = id;
        Sent(order, id);
    }

    /// <summary>An order left for the venue: journal, counters, the tick-to-order latency.</summary>
    private void Sent(LiveOrder order, long requestId)
    {
        JournalSent(order, requestId);
        _ordersSent++;
        Metrics.OrdersSent.Add(1);
        if (_tickStart != 0)
        {
            _lastTickToOrderMicros = StopwatchMicros(_tickStart);
            Metrics.TickToOrder.Record(_lastTickToOrderMicros);
        }
    }

    /// <summary>Cancels <paramref name="order"/> unless a cancel is already on its way: a strategy that cancels what is
    /// still working at every candle must not send a cancel per candle for an order whose cancel waits for an answer (or
    /// for the rate limiter) — a storm that earns a 429 and then a ban.</summary>
    private void SendCancel(LiveOrder order)
    {
        if (order.State == LiveOrderState.PendingCancel && order.PendingRequestId != 0)
        {
            return;
        }

        var covered = CancelCoveredByPartner(order);
        if (CancelHeld(order) || !_orders.RequestCancel(order.Sequence) || covered)
        {
            return;
        }

        var id = _venue.Cancel(order, VenueNow());
        if (id >= 0)
        {
            order.PendingRequestId = id;
            JournalCancelRequested(order, id);
        }
    }

    private void SendStatus(LiveOrder order)
    {
        var id = _venue.Status(order, VenueNow());
        if (id > 0)
        {
            order.PendingRequestId = id;
        }
    }

    /// <summary>The kill switch's closing market order: past the risk gate (which refuses everything once tripped).</summary>
    private void Flatten()
    {
        var q = _account.Position.Quantity;
        var quantity = Instrument.RoundQuantityDown(Math.Abs(q));
        if (quantity <= 0 || !_risk.CheckFlatten())
        {
            return;
        }

        var order = _orders.Create(OrderRequest.Market(q > 0 ? OrderSide.Sell : OrderSide.Buy, quantity, "kill-switch flatten"), Now);
        PlaceDurably(order);
    }

    private void OnAccepted(LiveOrder order)
    {
        JournalAck(order);
        Report(new OrderEvent(OrderEventKind.Accepted, order.Order.View()));
    }

    private void OnFill(LiveOrder order, in Fill fill, CommissionAsset asset, decimal commission)
    {
        JournalFill(order, fill, asset, commission);
        _account.Apply(fill.Side, fill.Price, fill.Quantity, commission, asset);
        _fills.Add(new LiveFill(fill, commission, asset, order.Order.Tag));
        Metrics.Fills.Add(1);
        Report(new OrderEvent(OrderEventKind.Filled, order.Order.View(), fill));
        if (_risk.OnEquity(_account.Equity, fill.Time))
        {
            TripKillSwitch(_risk.TripReason!);
        }
    }

    private void OnClosed(LiveOrder order, OrderEventKind kind, string? reason)
    {
        JournalState(order, reason);
        if (kind == OrderEventKind.Rejected)
        {
            _ordersRejected++;
            Metrics.OrdersRejected.Add(1);
        }

        Report(new OrderEvent(kind, order.Order.View(), Reason: reason));
        OcoLegClosed(order);
    }

    private void Report(in OrderEvent e)
    {
        _observer.OnOrder(e);
        if (_strategyActive || _warmingUp)
        {
            _strategy.OnOrderEvent(this, e);
        }
    }

    /// <summary>The order manager's reports, routed into the engine.</summary>
    private sealed class Listener(LiveEngine e) : IOrderListener
    {
        public void OnAccepted(LiveOrder order) => e.OnAccepted(order);

        public void OnFill(LiveOrder order, in Fill fill, CommissionAsset asset, decimal commission) => e.OnFill(order, fill, asset, commission);

        public void OnClosed(LiveOrder order, OrderEventKind kind, string? reason) => e.OnClosed(order, kind, reason);
    }
}
