using EventLoop;
using Trading.Core.Execution;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Live.Binance;
using Trading.Live.Orders;

namespace Trading.Live.Paper;

/// <summary>
/// Paper trading (<c>--paper</c>): the venue client that sends nothing. Orders are filled here, against the venue's own
/// market data, by the backtest's shared <see cref="FillModel"/> (its quote rules: a market order at the touch, a
/// limit when the touch reaches it, a stop when the touch crosses it) and charged by the shared
/// <see cref="Commission"/> rule, out of a local account that starts with <c>--cash</c>; a limit already resting when the
/// touch reaches it fills at its own price (maker), as a venue fills a resting order. What happens is reported to the
/// order manager as the execution reports a venue would send (NEW, TRADE, CANCELED, EXPIRED, REJECTED), so the
/// strategy → risk → order manager → account path is the real one.
/// <para>Nothing is answered inside the call that sent it: requests queue and are worked on the next loop turn (a
/// posted completion), as a venue's answers arrive later — the strategy never gets an order event from inside its own
/// <c>Submit</c>. <see cref="PendingCount"/> counts them, so lockstep waits for them.</para>
/// <para>The model, and its limits: the touch has unlimited depth and every order fills in full in one execution; a
/// resting limit fills at its price when a new quote reaches it (maker), a stop at the touch that crossed it, a
/// marketable order at once at the touch (taker); before the
/// first quote the last trade price stands for both sides. Balances are checked when an order fills, not locked while
/// it rests: a fill the account cannot pay for expires the order (a market order is rejected). An OCO's stop leg is
/// checked before its limit leg at each quote (the pessimistic rule the backtest uses inside a candle); the leg that
/// fills expires the other. Loop thread only.</para>
/// </summary>
public sealed class PaperVenue : IVenueClient
{
    private static readonly Callback<PaperVenue> OnWork = (v, loop, c, in r) => v.Work();

    private readonly Loop _loop;
    private readonly Instrument _instrument;
    private readonly OrderManager _orders;
    private readonly decimal _rate;
    private readonly FeeAsset _feeAsset;
    private readonly Func<long> _now;
    private readonly Action _afterWork;
    private readonly Queue<(PaperRequest Kind, long Sequence, long Partner)> _requests = new();
    private readonly List<PaperOrder> _working = [];
    private readonly Completion _work = new();
    private bool _posted;
    private bool _closed;
    private bool _hasQuote;
    private decimal _bid;
    private decimal _ask;
    private long _nextOrderId;
    private long _nextTradeId;
    private long _nextExecutionId;

    /// <param name="now">The engine's clock: the time fills and reports carry.</param>
    /// <param name="afterWork">Called after each batch of reports (the engine's stop and lockstep checks).</param>
    public PaperVenue(Loop loop, Instrument instrument, OrderManager orders, decimal cash, decimal feeRate, FeeAsset feeAsset, Func<long> now, Action afterWork)
    {
        _loop = loop;
        _instrument = instrument;
        _orders = orders;
        _rate = feeRate;
        _feeAsset = feeAsset;
        _now = now;
        _afterWork = afterWork;
        QuoteBalance = cash;
    }

    public bool IsOpen => !_closed;

    public int PendingCount => _requests.Count;

    /// <summary>The paper account's free quote asset (the venue's truth, which the engine's account mirrors).</summary>
    public decimal QuoteBalance { get; private set; }

    public decimal BaseBalance { get; private set; }

    /// <summary>Orders accepted and trades made by this paper venue.</summary>
    public int OrdersAccepted { get; private set; }

    public int Trades { get; private set; }

    public long Place(LiveOrder order, long venueNow) => Enqueue(PaperRequest.Place, order.Sequence, 0);

    public long PlaceOco(LiveOrder stopLoss, LiveOrder takeProfit, long venueNow) => Enqueue(PaperRequest.PlaceOco, stopLoss.Sequence, takeProfit.Sequence);

    public long Cancel(LiveOrder order, long venueNow) => Enqueue(PaperRequest.Cancel, order.Sequence, 0);

    /// <summary>Nothing here has an unknown outcome; a query is answered by the order's reports already sent.</summary>
    public long Status(LiveOrder order, long venueNow) => _closed ? -1 : 0;

    /// <summary>No more requests (the run is closing); orders still resting stay as they are.</summary>
    public void Close()
    {
        _closed = true;
        if (_posted)
        {
            _loop.Cancel(_work);
        }
    }

    /// <summary>A trade print: before any quote, its price is the touch.</summary>
    public void OnTrade(in Trade trade)
    {
        if (!_hasQuote)
        {
            _bid = _ask = FillModel.ToDecimal(trade.Price);
            Match(trade.Time);
        }
    }

    /// <summary>A new best bid/ask: resting orders that it reaches fill.</summary>
    public void OnQuote(in Quote quote)
    {
        _hasQuote = true;
        _bid = FillModel.ToDecimal(quote.BidPrice);
        _ask = FillModel.ToDecimal(quote.AskPrice);
        Match(_now());
    }

    private long Enqueue(PaperRequest kind, long sequence, long partner)
    {
        if (_closed)
        {
            return -1;
        }

        _requests.Enqueue((kind, sequence, partner));
        if (!_posted)
        {
            _posted = true;
            _loop.Post(_work, this, OnWork);
        }

        return 0;
    }

    private CallbackAction Work()
    {
        _posted = false;
        while (_requests.TryDequeue(out var r))
        {
            switch (r.Kind)
            {
                case PaperRequest.Place:
                    PlaceOne(r.Sequence, 0);
                    break;
                case PaperRequest.PlaceOco:
                    PlaceOco(r.Sequence, r.Partner);
                    break;
                case PaperRequest.Cancel:
                    CancelOne(r.Sequence);
                    break;
            }
        }

        _afterWork();
        return CallbackAction.Disarm;
    }

    private void PlaceOne(long sequence, long partner)
    {
        if (!_orders.TryGet(sequence, out var live) || live.IsFinal)
        {
            return;
        }

        var o = live.Order;
        var now = _now();
        var touch = o.Side == OrderSide.Buy ? _ask : _bid;
        if (touch == 0)
        {
            Report(live, ExecutionType.Rejected, VenueOrderStatus.Rejected, now, reason: "paper: no market price yet");
            return;
        }

        // A stop the touch has already crossed would trigger at once: refused, as Binance refuses it (-2010).
        if (o.Type == OrderType.StopMarket && (o.Side == OrderSide.Buy ? _ask >= o.StopPrice : _bid <= o.StopPrice))
        {
            Report(live, ExecutionType.Rejected, VenueOrderStatus.Rejected, now, reason: "paper: stop price would trigger immediately");
            return;
        }

        var order = new PaperOrder(live, ++_nextOrderId, partner);
        OrdersAccepted++;
        Report(live, ExecutionType.New, VenueOrderStatus.New, now);
        if (FillPrice(order) is { } price)
        {
            if (!TryFill(order, price, maker: false, now))
            {
                Report(live, o.Type == OrderType.Market ? ExecutionType.Rejected : ExecutionType.Expired,
                    o.Type == OrderType.Market ? VenueOrderStatus.Rejected : VenueOrderStatus.Expired, now, reason: "paper: insufficient balance");
            }

            return;
        }

        _working.Add(order);
    }

    private void PlaceOco(long stopSequence, long takeSequence)
    {
        if (!_orders.TryGet(stopSequence, out var stop) || !_orders.TryGet(takeSequence, out var take) || stop.IsFinal || take.IsFinal)
        {
            return;
        }

        var now = _now();
        var s = stop.Order;
        var t = take.Order;
        // Binance's OCO must bracket the touch: a sell's stop below and its limit above, a buy's the other way round.
        var bracketed = s.Side == OrderSide.Sell
            ? s.StopPrice < _bid && t.Price > _ask
            : s.StopPrice > _ask && t.Price < _bid;
        if (_bid == 0 || !bracketed)
        {
            const string why = "paper: the OCO's prices must bracket the market (OCO_BAD_PRICES)";
            Report(stop, ExecutionType.Rejected, VenueOrderStatus.Rejected, now, reason: why);
            Report(take, ExecutionType.Rejected, VenueOrderStatus.Rejected, now, reason: why);
            return;
        }

        OrdersAccepted += 2;
        _working.Add(new PaperOrder(stop, ++_nextOrderId, takeSequence));
        _working.Add(new PaperOrder(take, ++_nextOrderId, stopSequence));
        Report(stop, ExecutionType.New, VenueOrderStatus.New, now);
        Report(take, ExecutionType.New, VenueOrderStatus.New, now);
    }

    private void CancelOne(long sequence)
    {
        var i = _working.FindIndex(w => w.Live.Sequence == sequence);
        if (i < 0)
        {
            return; // already filled or ended: its reports said so (Binance answers -2011 and the order manager restores it)
        }

        var order = _working[i];
        _working.RemoveAt(i);
        var now = _now();
        Report(order.Live, ExecutionType.Canceled, VenueOrderStatus.Canceled, now);
        if (order.Partner != 0)
        {
            // Canceling either leg of an OCO cancels the list.
            var j = _working.FindIndex(w => w.Live.Sequence == order.Partner);
            if (j >= 0)
            {
                var partner = _working[j];
                _working.RemoveAt(j);
                Report(partner.Live, ExecutionType.Canceled, VenueOrderStatus.Canceled, now);
            }
        }
    }

    /// <summary>Fills what the touch reaches: each OCO's stop leg before its limit leg, otherwise oldest first.</summary>
    private void Match(long now)
    {
        if (_working.Count == 0)
        {
            return;
        }

        var any = false;
        for (var i = 0; i < _working.Count; i++)
        {
            var order = _working[i];
            if (order.Done)
            {
                continue;
            }

            var candidate = order;
            if (order.Partner != 0 && order.Live.Order.Type == OrderType.Limit
                && _working.Find(w => w.Live.Sequence == order.Partner) is { Done: false } stopLeg && FillPrice(stopLeg) is not null)
            {
                candidate = stopLeg; // the pessimistic rule: when both legs are reached, the stop fills
            }

            if (FillPrice(candidate) is not { } touch)
            {
                continue;
            }

            // A resting limit the market reaches fills at its own price (a venue fills a resting order there, and the
            // backtest fills a limit inside a candle there); the touch decides only whether it fills.
            var price = candidate.Live.Order.Type == OrderType.Limit ? candidate.Live.Order.Price : touch;

            any = true;
            candidate.Done = true;
            var filled = TryFill(candidate, price, maker: candidate.Live.Order.Type == OrderType.Limit, now);
            if (!filled)
            {
                Report(candidate.Live, ExecutionType.Expired, VenueOrderStatus.Expired, now, reason: "paper: insufficient balance");
            }

            if (candidate.Partner != 0 && _working.Find(w => w.Live.Sequence == candidate.Partner) is { Done: false } other)
            {
                other.Done = true;
                Report(other.Live, ExecutionType.Expired, VenueOrderStatus.Expired, now, reason: filled ? null : "paper: insufficient balance");
            }
        }

        if (any)
        {
            _working.RemoveAll(w => w.Done);
            _afterWork();
        }
    }

    private decimal? FillPrice(PaperOrder order)
    {
        var o = order.Live.Order;
        return FillModel.PriceAtQuote(o.Type, o.Side, o.Price, o.StopPrice, new Quote(0, (double)_bid, 0, (double)_ask, 0), 0, _instrument) is { } p
            ? p
            : null;
    }

    /// <summary>Fills the whole order at <paramref name="price"/> if the account pays for it: false (nothing booked) otherwise.</summary>
    private bool TryFill(PaperOrder order, decimal price, bool maker, long now)
    {
        var o = order.Live.Order;
        var quantity = o.Quantity > 0 ? o.RemainingQuantity : FillModel.QuantityForBudget(o.QuoteQuantity, price, 0, _instrument);
        if (quantity <= 0)
        {
            return false;
        }

        var fee = Commission.For(o.Side, quantity, price, _rate, _feeAsset);
        var notional = quantity * price;
        if (o.Side == OrderSide.Buy)
        {
            var cost = notional + (fee.InBase ? 0 : fee.Amount);
            if (cost > QuoteBalance)
            {
                return false;
            }

            QuoteBalance -= cost;
            BaseBalance += quantity - (fee.InBase ? fee.Amount : 0);
        }
        else
        {
            if (quantity > BaseBalance)
            {
                return false;
            }

            BaseBalance -= quantity;
            QuoteBalance += notional - (fee.InBase ? 0 : fee.Amount);
        }

        Trades++;
        var r = Template(order.Live, ExecutionType.Trade, VenueOrderStatus.Filled, now);
        r.OrderId = order.OrderId;
        r.LastQuantity = quantity;
        r.LastPrice = price;
        r.CumulativeQuantity = quantity;
        r.CumulativeQuote = notional;
        r.Commission = fee.Amount;
        r.CommissionAsset = fee.InBase ? CommissionAsset.Base : CommissionAsset.Quote;
        r.TradeId = ++_nextTradeId;
        r.IsMaker = maker;
        _orders.OnExecutionReport(r);
        return true;
    }

    private void Report(LiveOrder live, ExecutionType type, VenueOrderStatus status, long now, string? reason = null)
    {
        var r = Template(live, type, status, now);
        r.RejectReason = reason;
        r.CumulativeQuantity = live.AppliedQuantity;
        _orders.OnExecutionReport(r);
    }

    private ExecutionReport Template(LiveOrder live, ExecutionType type, VenueOrderStatus status, long now) => new()
    {
        EventTime = now,
        TransactionTime = now,
        Sequence = live.Sequence,
        Side = live.Order.Side,
        ExecutionType = type,
        Status = status,
        OrderQuantity = live.Order.Quantity,
        OrderPrice = live.Order.Price,
        TradeId = -1,
        ExecutionId = ++_nextExecutionId,
    };

    private enum PaperRequest : byte
    {
        Place,
        PlaceOco,
        Cancel,
    }

    /// <summary>An order working at the paper venue; <see cref="Partner"/> is its OCO leg's sequence (0: none).</summary>
    private sealed class PaperOrder(LiveOrder live, long orderId, long partner)
    {
        public LiveOrder Live { get; } = live;

        public long OrderId { get; } = orderId;

        public long Partner { get; } = partner;

        public bool Done { get; set; }
    }
}
