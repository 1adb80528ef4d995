using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Sim.Api;

namespace Trading.Sim.Matching;

/// <summary>
/// The simulator's matching engine for one symbol and one account. Single-writer: not thread-safe, the exchange calls
/// it only while holding its lock, so every order, fill and balance change happens in one total order.
/// <list type="bullet">
/// <item>MARKET orders fill at once, in full, at the best ask (BUY) or bid (SELL): the simulated top of book has
/// unlimited depth. A LIMIT order whose price reaches the opposite best price fills the same way, as taker, at that
/// best price (price improvement); LIMIT_MAKER is rejected then.</item>
/// <item>Resting LIMIT orders fill, as maker and at their own price, when a replayed trade prints at or through their
/// price; price priority then time priority, each side taking at most the trade's quantity (partial fills).</item>
/// <item>Fees (<see cref="Trading.Core.Orders.FeeAsset"/>): with <c>Received</c> (Binance) a BUY pays rate × base quantity in base and
/// a SELL rate × notional in quote; with <c>Quote</c> every fill pays rate × notional in quote. Each commission is
/// rounded to 8 decimals, midpoint away from zero (the rule the backtest shares, so both agree to the last digit).
/// A BUY locks price × qty of quote (with <c>Quote</c>: × (1 + max rate), rounded up to 8 decimals); a SELL locks its
/// base quantity.</item>
/// </list>
/// </summary>
internal sealed partial class MatchingEngine
{
    private const int MaxOpenOrders = 200;
    private const decimal MaxPrice = 1_000_000m;
    private const decimal MaxQuantity = 9_000m;
    private const decimal MaxNotional = 9_000_000m;

    private readonly Instrument _instrument;
    private readonly Dictionary<string, Balance> _balances = new(StringComparer.Ordinal);
    private readonly Dictionary<long, SimOrder> _orders = [];
    private readonly Dictionary<string, long> _byClientId = new(StringComparer.Ordinal);
    private readonly List<SimOrder> _open = [];
    private readonly List<(SimFill Fill, long OrderId)> _trades = [];
    private readonly Func<long> _takeTradeId;
    private long _nextOrderId = 1;
    private long _nextExecutionId = 1;
    private long _sequence;
    private long _generatedIds;

    public MatchingEngine(Instrument instrument, IReadOnlyDictionary<string, decimal> balances, decimal makerRate, decimal takerRate,
        FeeAsset feeAsset, MarketFill marketFill, Func<long> takeTradeId)
    {
        _instrument = instrument;
        FeeAsset = feeAsset;
        MarketFill = marketFill;
        MakerRate = makerRate;
        TakerRate = takerRate;
        _takeTradeId = takeTradeId;
        foreach (var (asset, amount) in balances)
        {
            _balances[asset] = new Balance { Free = amount };
        }

        foreach (var asset in new[] { instrument.BaseAsset, instrument.QuoteAsset })
        {
            _balances.TryAdd(asset, new Balance());
        }
    }

    public FeeAsset FeeAsset { get; }

    public MarketFill MarketFill { get; }

    public decimal MakerRate { get; }

    public decimal TakerRate { get; }

    public decimal Bid { get; private set; }

    public decimal Ask { get; private set; }

    public decimal LastPrice { get; private set; }

    public long UpdateTime { get; private set; }

    public IReadOnlyList<SimOrder> OpenOrders => _open;

    /// <summary>Every order ever placed, oldest (lowest id) first.</summary>
    public IEnumerable<SimOrder> AllOrders => _orders.Values.OrderBy(o => o.OrderId);

    public IReadOnlyList<(SimFill Fill, long OrderId)> Trades => _trades;

    public IEnumerable<BalanceSnapshot> Balances =>
        _balances.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => new BalanceSnapshot(b.Key, b.Value.Free, b.Value.Locked));

    public void SetQuote(decimal last, decimal bid, decimal ask)
    {
        LastPrice = last;
        Bid = bid;
        Ask = ask;
    }

    /// <summary>Looks an order up by id and/or client id; null when unknown or when both are given and disagree.</summary>
    public SimOrder? Find(long? orderId, string? clientOrderId)
    {
        if (orderId is { } id)
        {
            if (!_orders.TryGetValue(id, out var o))
            {
                return null;
            }

            return clientOrderId is null || o.ClientOrderId == clientOrderId ? o : null;
        }

        return clientOrderId is not null && _byClientId.TryGetValue(clientOrderId, out var byClient) ? _orders[byClient] : null;
    }

    /// <summary>Places an order. Throws <see cref="ApiException"/> for a filter failure or an engine rejection.</summary>
    public PlaceResult Place(in PlaceRequest r, long now) => Place(r, now, fundsHeldBySibling: false, orderListId: -1);

    /// <param name="fundsHeldBySibling">The second order of an OCO: its funds are the ones its sibling locked.</param>
    /// <param name="orderListId">The OCO list it belongs to, or -1.</param>
    private PlaceResult Place(in PlaceRequest r, long now, bool fundsHeldBySibling, long orderListId)
    {
        var conditional = r.Trigger != TriggerKind.None;
        var events = new List<UserEvent>();
        var fills = new List<SimFill>();
        if (r.NewClientOrderId is { } cid && _byClientId.TryGetValue(cid, out var existing) && _orders[existing].IsOpen)
        {
            throw ApiException.NewOrderRejected(ApiException.DuplicateOrder);
        }

        var quantity = r.Quantity;
        var touch = r.Side == OrderSide.Buy ? Ask : Bid;
        if (conditional)
        {
            if (r.StopPrice < _instrument.TickSize || r.StopPrice > MaxPrice || !Instrument.IsOnGrid(r.StopPrice, _instrument.TickSize))
            {
                throw ApiException.Filter("PRICE_FILTER");
            }

            if (Triggers(r.Trigger, r.Side, r.StopPrice, LastPrice))
            {
                throw ApiException.NewOrderRejected("Stop price would trigger immediately.");
            }
        }
        else if (r.Type == OrderType.Market && touch <= 0)
        {
            throw ApiException.NewOrderRejected("Order book liquidity is less than `LOT_SIZE` filter minimum quantity.");
        }

        if (r.Type == OrderType.Limit)
        {
            if (r.Price < _instrument.TickSize || r.Price > MaxPrice || !Instrument.IsOnGrid(r.Price, _instrument.TickSize))
            {
                throw ApiException.Filter("PRICE_FILTER");
            }
        }
        else if (r.QuoteOrderQty > 0)
        {
            quantity = _instrument.RoundQuantityDown(r.QuoteOrderQty / touch);
        }

        if (quantity < _instrument.MinQuantity || quantity > MaxQuantity || !Instrument.IsOnGrid(quantity, _instrument.LotStep))
        {
            throw ApiException.Filter("LOT_SIZE");
        }

        var notional = (r.Type == OrderType.Limit ? r.Price : conditional ? r.StopPrice : LastPrice) * quantity;
        if (notional < _instrument.MinNotional || (r.Type == OrderType.Limit && notional > MaxNotional))
        {
            throw ApiException.Filter("NOTIONAL");
        }

        if (_open.Count >= MaxOpenOrders && r.Type == OrderType.Limit)
        {
            throw ApiException.Filter("MAX_NUM_ORDERS");
        }

        // next-print: the MARKET order waits, open, for the next trade print (OnTrade fills it there).
        var deferred = r.Type == OrderType.Market && MarketFill == MarketFill.NextPrint && !conditional;
        // A market order crosses now unless it is deferred to the next print; only a priced order is compared with the touch
        // (a market order's price is 0, which would otherwise "cross" every bid).
        var crosses = !conditional && (r.Type == OrderType.Market
            ? !deferred
            : r.Side == OrderSide.Buy ? r.Price >= Ask && Ask > 0 : r.Price <= Bid && Bid > 0);
        if (r.PostOnly && crosses)
        {
            throw ApiException.NewOrderRejected("Order would immediately match and take.");
        }

        // Funds: a taking order needs what it will pay now, a resting one what it locks.
        var baseBal = _balances[_instrument.BaseAsset];
        var quoteBal = _balances[_instrument.QuoteAsset];
        decimal lockAmount;
        if (r.Side == OrderSide.Buy)
        {
            lockAmount = deferred && r.QuoteOrderQty > 0 ? r.QuoteOrderQty
                : conditional && r.Type == OrderType.Market ? BuyLock(r.StopPrice, quantity)
                : r.Type == OrderType.Market
                ? (touch * quantity) + (FeeAsset == FeeAsset.Quote ? Fee(touch * quantity, TakerRate) : 0m)
                : BuyLock(r.Price, quantity);
            if (fundsHeldBySibling)
            {
                lockAmount = 0;
            }
            else if (quoteBal.Free < lockAmount)
            {
                throw ApiException.NewOrderRejected(ApiException.InsufficientBalance);
            }
        }
        else
        {
            lockAmount = fundsHeldBySibling ? 0 : quantity;
            if (!fundsHeldBySibling && baseBal.Free < quantity)
            {
                throw ApiException.NewOrderRejected(ApiException.InsufficientBalance);
            }
        }

        var order = new SimOrder
        {
            OrderId = _nextOrderId++,
            ClientOrderId = r.NewClientOrderId ?? $"sim-{++_generatedIds:D10}",
            Side = r.Side,
            Type = r.Type,
            PostOnly = r.PostOnly,
            TimeInForce = r.TimeInForce,
            Price = r.Type == OrderType.Limit ? r.Price : 0m,
            OrigQty = quantity,
            OrigQuoteQty = r.QuoteOrderQty,
            Status = OrderStatus.New,
            Time = now,
            UpdateTime = now,
            WorkingTime = conditional ? -1 : now,
            Sequence = _sequence++,
            Trigger = r.Trigger,
            StopPrice = r.StopPrice,
            OrderListId = orderListId,
        };
        _orders[order.OrderId] = order;
        _byClientId[order.ClientOrderId] = order.OrderId;
        UpdateTime = now;

        var wallet = r.Side == OrderSide.Buy ? quoteBal : baseBal;
        wallet.Free -= lockAmount;
        wallet.Locked += lockAmount;
        order.Locked = lockAmount;
        order.OnBook = !crosses && !deferred && !conditional && order.TimeInForce == TimeInForce.Gtc;
        events.Add(Report(order, "NEW", null, "", now));

        if (crosses)
        {
            var fill = Execute(order, touch, quantity, maker: false, now);
            fills.Add(fill);
            events.Add(Report(order, "TRADE", fill, "", now));
        }
        else if (deferred || conditional)
        {
            _open.Add(order);
        }
        else if (order.TimeInForce != TimeInForce.Gtc)
        {
            // IOC/FOK that cannot trade at once: the top of book is the only liquidity, so nothing fills.
            order.ExpiryReason = order.TimeInForce == TimeInForce.Fok ? "UNFILLED_FOK_ORDER_EXPIRED" : "UNFILLED_IOC_QUANTITY_EXPIRED";
            Close(order, OrderStatus.Expired, now);
            events.Add(Report(order, "EXPIRED", null, "", now));
        }
        else
        {
            _open.Add(order);
        }

        events.Add(BalancesEvent(now));
        return new PlaceResult(order.Snapshot(), fills, events);
    }

    /// <summary>Cancels an open order; throws -2011 "Unknown order sent." when it is unknown or closed.</summary>
    public (OrderSnapshot Order, string OrigClientOrderId, IReadOnlyList<UserEvent> Events) Cancel(long? orderId, string? origClientOrderId,
        string? newClientOrderId, long now)
    {
        var order = Find(orderId, origClientOrderId);
        if (order is null || !order.IsOpen)
        {
            throw ApiException.CancelRejected(ApiException.UnknownOrder);
        }

        var old = order.ClientOrderId;
        order.ClientOrderId = newClientOrderId ?? $"sim-{++_generatedIds:D10}";
        _byClientId[order.ClientOrderId] = order.OrderId;
        var events = new List<UserEvent>();
        if (order.Sibling is { IsOpen: true } sibling)
        {
            // "Canceling an individual order from an order list will cancel the entire order list."
            var siblingOld = sibling.ClientOrderId;
            sibling.ClientOrderId = $"sim-{++_generatedIds:D10}";
            _byClientId[sibling.ClientOrderId] = sibling.OrderId;
            ShareLock(sibling, order);
            Close(sibling, OrderStatus.Canceled, now);
            events.Add(Report(sibling, "CANCELED", null, siblingOld, now));
        }

        Close(order, OrderStatus.Canceled, now);
        events.Add(Report(order, "CANCELED", null, old, now));
        if (order.OrderListId >= 0)
        {
            events.Add(new UserEvent(now, null, null, ListEvent(order, "ALL_DONE", "ALL_DONE", now)));
        }

        events.Add(BalancesEvent(now));
        return (order.Snapshot(), old, events);
    }

    /// <summary>
    /// A replayed trade at <paramref name="price"/>: resting orders it reaches fill as maker at their own price, best
    /// price first, then oldest first, each side taking at most <paramref name="quantity"/>.
    /// </summary>
    public List<UserEvent> OnTrade(decimal price, decimal quantity, long now)
    {
        var events = new List<UserEvent>();
        if (_open.Count == 0)
        {
            return events;
        }

        FillWaitingMarketOrders(events, now);
        FireTriggers(price, events, now);
        var buys = _open.Where(o => o.Type == OrderType.Limit && o.IsOpen && o.IsWorking && o.Side == OrderSide.Buy && o.Price >= price)
            .OrderByDescending(o => o.Price).ThenBy(o => o.Sequence).ToList();
        var sells = _open.Where(o => o.Type == OrderType.Limit && o.IsOpen && o.IsWorking && o.Side == OrderSide.Sell && o.Price <= price)
            .OrderBy(o => o.Price).ThenBy(o => o.Sequence).ToList();
        foreach (var side in new[] { buys, sells })
        {
            var available = quantity;
            foreach (var order in side)
            {
                if (available <= 0)
                {
                    break;
                }

                var q = Math.Min(available, order.Remaining);
                available -= q;
                EndPair(order, events, now); // an OCO order that trades expires the other one
                var fill = Execute(order, order.Price, q, maker: true, now);
                events.Add(Report(order, "TRADE", fill, "", now));
            }
        }

        if (events.Count > 0)
        {
            _open.RemoveAll(o => !o.IsOpen);
            events.Add(BalancesEvent(now));
        }

        return events;
    }

    /// <summary>
    /// Fills an open order in full now (the cancel-race fault: a fill that beats a cancel): a LIMIT order as maker at its
    /// own price, a waiting MARKET order at the touch. Returns its reports and the balance update.
    /// </summary>
    public List<UserEvent> FillNow(SimOrder order, long now)
    {
        var events = new List<UserEvent>();
        if (order.Type == OrderType.Market)
        {
            FillWaitingMarketOrder(order, events, now);
        }
        else
        {
            var fill = Execute(order, order.Price, order.Remaining, maker: true, now);
            events.Add(Report(order, "TRADE", fill, "", now));
            _open.Remove(order);
        }

        events.Add(BalancesEvent(now));
        return events;
    }

    /// <summary>next-print: MARKET orders waiting for this print fill in full at the touch it set, oldest first, as
    /// taker; a quoteOrderQty order's quantity is worked out at this price. One the account cannot pay for expires.</summary>
    private void FillWaitingMarketOrders(List<UserEvent> events, long now)
    {
        foreach (var order in _open.Where(o => o.Type == OrderType.Market && o.Trigger == TriggerKind.None).OrderBy(o => o.Sequence).ToList())
        {
            FillWaitingMarketOrder(order, events, now);
        }
    }

    private void FillWaitingMarketOrder(SimOrder order, List<UserEvent> events, long now)
    {
        var touch = order.Side == OrderSide.Buy ? Ask : Bid;
        var quantity = touch > 0 && order.OrigQuoteQty > 0 ? _instrument.RoundQuantityDown(order.OrigQuoteQty / touch) : order.Remaining;
        var wallet = _balances[order.Side == OrderSide.Buy ? _instrument.QuoteAsset : _instrument.BaseAsset];
        var need = order.Side == OrderSide.Sell ? quantity
            : (touch * quantity) + (FeeAsset == FeeAsset.Quote ? Fee(touch * quantity, TakerRate) : 0m);
        if (touch <= 0 || quantity < _instrument.MinQuantity || need > order.Locked + wallet.Free)
        {
            Close(order, OrderStatus.Expired, now);
            events.Add(Report(order, "EXPIRED", null, "", now));
            return;
        }

        order.OrigQty = quantity;
        if (need > order.Locked)
        {
            // The price moved against the order: it takes the difference from the free balance.
            wallet.Free -= need - order.Locked;
            wallet.Locked += need - order.Locked;
            order.Locked = need;
        }

        _open.Remove(order);
        var fill = Execute(order, touch, quantity, maker: false, now);
        events.Add(Report(order, "TRADE", fill, "", now));
    }

    private SimFill Execute(SimOrder order, decimal price, decimal quantity, bool maker, long now)
    {
        var notional = price * quantity;
        var rate = maker ? MakerRate : TakerRate;
        var inBase = order.Side == OrderSide.Buy && FeeAsset == FeeAsset.Received;
        var fee = Fee(inBase ? quantity : notional, rate);
        var last = quantity == order.Remaining;
        var baseBal = _balances[_instrument.BaseAsset];
        var quoteBal = _balances[_instrument.QuoteAsset];
        if (order.Side == OrderSide.Buy)
        {
            var release = last ? order.Locked : Math.Min(order.Locked, BuyLock(order.Price, quantity));
            order.Locked -= release;
            quoteBal.Locked -= release;
            quoteBal.Free += release - notional - (inBase ? 0m : fee);
            baseBal.Free += quantity - (inBase ? fee : 0m);
        }
        else
        {
            order.Locked -= quantity;
            baseBal.Locked -= quantity;
            quoteBal.Free += notional - fee;
        }

        order.ExecutedQty += quantity;
        order.CumQuote += notional;
        order.UpdateTime = now;
        order.Status = last ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        UpdateTime = now;
        var fill = new SimFill(_takeTradeId(), order.OrderId, order.Side, price, quantity, fee,
            inBase ? _instrument.BaseAsset : _instrument.QuoteAsset, maker, now, order.OrderListId);
        _trades.Add((fill, order.OrderId));
        if (last)
        {
            ReleaseLock(order);
        }

        return fill;
    }

    private void Close(SimOrder order, OrderStatus status, long now)
    {
        order.Status = status;
        order.UpdateTime = now;
        UpdateTime = now;
        ReleaseLock(order);
        _open.Remove(order);
    }

    private void ReleaseLock(SimOrder order)
    {
        if (order.Locked == 0)
        {
            return;
        }

        var wallet = _balances[order.Side == OrderSide.Buy ? _instrument.QuoteAsset : _instrument.BaseAsset];
        wallet.Locked -= order.Locked;
        wallet.Free += order.Locked;
        order.Locked = 0;
    }

    private UserEvent Report(SimOrder order, string executionType, SimFill? fill, string origClientOrderId, long now) =>
        new(now, new ExecutionReport(order.Snapshot(), executionType, fill, origClientOrderId, _nextExecutionId++), null);

    private UserEvent BalancesEvent(long now) =>
        new(now, null, [
            new BalanceSnapshot(_instrument.BaseAsset, _balances[_instrument.BaseAsset].Free, _balances[_instrument.BaseAsset].Locked),
            new BalanceSnapshot(_instrument.QuoteAsset, _balances[_instrument.QuoteAsset].Free, _balances[_instrument.QuoteAsset].Locked),
        ]);

    private static decimal Fee(decimal amount, decimal rate) => Commission.Round(amount * rate);

    /// <summary>What a BUY of <paramref name="quantity"/> at <paramref name="price"/> holds: with the fee in quote, the
    /// worst-case fee on top.</summary>
    private decimal BuyLock(decimal price, decimal quantity) =>
        FeeAsset == FeeAsset.Quote ? RoundUp8(price * quantity * (1 + Math.Max(MakerRate, TakerRate))) : RoundUp8(price * quantity);

    private static decimal RoundUp8(decimal value) => Math.Ceiling(value * 100_000_000m) / 100_000_000m;

    private sealed class Balance
    {
        public decimal Free { get; set; }

        public decimal Locked { get; set; }
    }
}
