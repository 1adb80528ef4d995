using System.Runtime.InteropServices;
using Trading.Backtest.Results;
using Trading.Core.Accounting;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Engine;

/// <summary>
/// The state of one backtest and the <see cref="IStrategyContext"/> its strategy sees. Orders flow strategy →
/// <see cref="Submit"/> (checks: filters, funds, shorting) → the simulated venue (<see cref="FillModel"/>) →
/// portfolio and trade ledger → order events. Events are queued and delivered after the strategy's current
/// callback returns, so a strategy is never re-entered. Single-threaded by design.
/// </summary>
internal sealed class BacktestRun : IStrategyContext
{
    private readonly IStrategy _strategy;
    private readonly BacktestOptions _options;
    private readonly Instrument _instrument;
    private readonly Portfolio _portfolio;
    private readonly TradeLedger _ledger = new();
    private readonly List<Order> _open = [];
    private readonly List<int> _openSince = [];
    private readonly List<Order> _scratch = [];
    private readonly List<int> _scratchSince = [];
    private readonly Queue<OrderEvent> _events = new();
    private readonly List<Fill> _fills = [];
    private readonly List<Order> _rejected = [];
    private Candle _candle;
    private double _mark;
    private int _index = -1;
    private bool _inCallback;
    private bool _stopped;
    private long _orderSeq;
    private long _tradeSeq;

    public BacktestRun(IStrategy strategy, BacktestOptions options)
    {
        _strategy = strategy;
        _options = options;
        _instrument = options.Instrument;
        _portfolio = new Portfolio(options.InitialCash);
        CashD = (double)options.InitialCash;
    }

    /// <summary>Cash as a double, mirrored on each fill, for the per-candle equity curve.</summary>
    public double CashD { get; private set; }

    /// <summary>Signed position as a double, mirrored on each fill.</summary>
    public double PositionD { get; private set; }

    public long IntervalMs { get; set; }

    public long Now { get; private set; }

    public Instrument Instrument => _instrument;

    /// <summary>Cached copy of the portfolio's position, refreshed on each fill (read on every signal).</summary>
    public Position Position { get; private set; }

    public decimal Cash => _portfolio.Cash;

    /// <summary>Cash + position at the current mark (the open while orders match, the close during OnCandle).</summary>
    public decimal Equity
    {
        get
        {
            var q = Position.Quantity;
            return q == 0 ? _portfolio.Cash : _portfolio.Cash + (q * FillModel.ToDecimal(_mark));
        }
    }

    public decimal FeeRate => _options.FeeRate;

    public bool AllowShort => _options.AllowShort;

    public ReadOnlySpan<Order> OpenOrders => CollectionsMarshal.AsSpan(_open);

    public IStrategyLogger Log { get; set; } = NullStrategyLogger.Instance;

    public Portfolio Portfolio => _portfolio;

    public TradeLedger Ledger => _ledger;

    public List<Fill> Fills => _fills;

    public List<Order> Rejected => _rejected;

    public List<Order> Open => _open;

    public void Start(in Candle first)
    {
        Now = first.OpenTime;
        _mark = first.Open;
        _inCallback = true;
        _strategy.OnStart(this);
        _inCallback = false;
        Drain();
    }

    /// <summary>Candle <paramref name="index"/> opens: fill what was waiting for it, then show it, closed, to the strategy.</summary>
    public void Step(int index, in Candle candle)
    {
        _index = index;
        _candle = candle;
        Now = candle.OpenTime;
        if (_open.Count != 0)
        {
            _mark = candle.Open;
            MatchOpenOrders(candle);
        }

        Now = candle.OpenTime + IntervalMs;
        _mark = candle.Close;
        _inCallback = true;
        _strategy.OnCandle(this, candle);
        _inCallback = false;
        Drain();
    }

    /// <summary>After the last candle: close the position when asked, then tell the strategy it is over.</summary>
    public void Finish()
    {
        if (_options.CloseAtEnd && !Position.IsFlat)
        {
            var q = Position.Quantity;
            var order = NewOrder(OrderRequest.Market(q > 0 ? OrderSide.Sell : OrderSide.Buy, Math.Abs(q), "end"));
            Execute(order, FillModel.ToDecimal(_candle.Close), Now);
            Drain();
        }

        _stopped = true;
        _inCallback = true;
        _strategy.OnStop(this);
        _inCallback = false;
        _events.Clear();
    }

    public ClientOrderId Submit(in OrderRequest request)
    {
        var order = NewOrder(request);
        var reason = _stopped ? "the backtest has ended" : Check(order);
        if (reason is not null)
        {
            Reject(order, reason);
            return order.Id;
        }

        _open.Add(order);
        _openSince.Add(_index);
        _events.Enqueue(new OrderEvent(OrderEventKind.Accepted, order));
        if (_options.TradeOnClose && order.Type == OrderType.Market && _index >= 0)
        {
            Execute(order, FillModel.Slip(FillModel.ToDecimal(_candle.Close), order.Side, _options.SlippageBps, _instrument), Now);
        }

        if (!_inCallback)
        {
            Drain();
        }

        return order.Id;
    }

    public bool Cancel(ClientOrderId id)
    {
        for (var i = 0; i < _open.Count; i++)
        {
            if (_open[i].Id == id)
            {
                var order = _open[i];
                RemoveOpenAt(i);
                order.Cancel(Now, "canceled by strategy");
                _events.Enqueue(new OrderEvent(OrderEventKind.Canceled, order, Reason: order.Reason));
                if (!_inCallback)
                {
                    Drain();
                }

                return true;
            }
        }

        return false;
    }

    private Order NewOrder(in OrderRequest request)
    {
        var id = new ClientOrderId(request.ClientOrderId ?? "bt-" + (++_orderSeq).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var rounded = request with { Quantity = _instrument.RoundQuantityDown(request.Quantity) };
        return new Order(id, _instrument.Symbol, rounded, Now);
    }

    /// <summary>Checks made when the order is submitted; null when it may rest or execute.</summary>
    private string? Check(Order order)
    {
        foreach (var o in _open)
        {
            if (o.Id == order.Id)
            {
                return $"duplicate client order id '{order.Id}'";
            }
        }

        var quoteSized = order.Type == OrderType.Market && order.QuoteQuantity > 0;
        if (quoteSized)
        {
            return order.Quantity != 0 ? "give either a quantity or a quote quantity, not both" : null;
        }

        if (order.Quantity <= 0)
        {
            return $"quantity rounds down to zero at lot step {_instrument.LotStep}";
        }

        decimal reference;
        switch (order.Type)
        {
            case OrderType.Limit:
                if (order.Price <= 0 || !Instrument.IsOnGrid(order.Price, _instrument.TickSize))
                {
                    return $"limit price {order.Price} must be positive and a multiple of the tick size {_instrument.TickSize}";
                }

                reference = order.Price;
                break;
            case OrderType.StopMarket:
                if (order.StopPrice <= 0 || !Instrument.IsOnGrid(order.StopPrice, _instrument.TickSize))
                {
                    return $"stop price {order.StopPrice} must be positive and a multiple of the tick size {_instrument.TickSize}";
                }

                reference = order.StopPrice;
                break;
            default:
                reference = _index >= 0 ? FillModel.ToDecimal(_candle.Close) : 0;
                break;
        }

        return _instrument.CheckOrder(order.Quantity, reference) ?? CheckShorting(order.Side, order.Quantity);
    }

    private string? CheckShorting(OrderSide side, decimal quantity)
    {
        if (side == OrderSide.Sell && !_options.AllowShort)
        {
            var held = Position.Quantity;
            if (quantity > held)
            {
                return $"cannot sell {N(quantity)}: the position is {N(held)} and shorting is off (--allow-short)";
            }
        }

        return null;
    }

    private void MatchOpenOrders(in Candle candle)
    {
        // Work on a copy: fills raise events, and (after draining) strategies may add or cancel orders.
        _scratch.Clear();
        _scratchSince.Clear();
        _scratch.AddRange(_open);
        _scratchSince.AddRange(_openSince);
        for (var i = 0; i < _scratch.Count; i++)
        {
            var order = _scratch[i];
            if (!order.IsOpen || _scratchSince[i] >= _index)
            {
                continue;
            }

            decimal? price = order.Type == OrderType.Market
                ? FillModel.Slip(FillModel.ToDecimal(candle.Open), order.Side, _options.SlippageBps, _instrument)
                : FillModel.LimitOrStopPrice(order, candle, _options.SlippageBps, _instrument);
            if (price is { } p)
            {
                Execute(order, p, candle.OpenTime);
            }
            else if (order.Type == OrderType.Limit && order.TimeInForce != TimeInForce.Gtc)
            {
                RemoveOpen(order);
                order.Expire(candle.OpenTime, $"{order.TimeInForce} limit did not fill in its first candle");
                _events.Enqueue(new OrderEvent(OrderEventKind.Expired, order, Reason: order.Reason));
            }
        }

        Drain();
    }

    /// <summary>Fills <paramref name="order"/> completely at <paramref name="price"/>, or rejects it when the account cannot take it.</summary>
    private void Execute(Order order, decimal price, long time)
    {
        var quantity = order.Type == OrderType.Market && order.QuoteQuantity > 0
            ? FillModel.QuantityForBudget(order.QuoteQuantity, price, _options.FeeRate, _instrument)
            : order.RemainingQuantity;
        var quoteSized = order.QuoteQuantity > 0 && order.FilledQuantity == 0 && order.Quantity == 0;
        var reason = quantity <= 0
            ? $"quote quantity {N(order.QuoteQuantity)} buys less than one lot ({N(_instrument.LotStep)}) at {N(price)}"
            : quoteSized ? _instrument.CheckOrder(quantity, price) ?? CheckFunds(order.Side, quantity, price)
            : quantity * price < _instrument.MinNotional
                ? $"notional {N(quantity * price)} is below the minimum notional {N(_instrument.MinNotional)}"
                : CheckFunds(order.Side, quantity, price);
        if (reason is not null)
        {
            RemoveOpen(order);
            Reject(order, reason);
            return;
        }

        var fee = quantity * price * _options.FeeRate;
        var fill = new Fill(order.Id, time, order.Side, price, quantity, fee, TradeId: ++_tradeSeq);
        order.ApplyFill(fill);
        _portfolio.Apply(_instrument.Symbol, fill);
        _ledger.Add(fill, order.Tag ?? "signal");
        _fills.Add(fill);
        CashD = (double)_portfolio.Cash;
        Position = _portfolio.GetPosition(_instrument.Symbol);
        PositionD = (double)Position.Quantity;
        if (!order.IsOpen)
        {
            RemoveOpen(order);
        }

        _events.Enqueue(new OrderEvent(OrderEventKind.Filled, order, fill));
    }

    /// <summary>
    /// Funds at fill time. A buy may not leave cash negative (covering a short is paid from its proceeds, which sit in
    /// cash). A sell beyond the long position needs shorting on, and the short's notional may not exceed equity.
    /// </summary>
    private string? CheckFunds(OrderSide side, decimal quantity, decimal price)
    {
        var fee = quantity * price * _options.FeeRate;
        if (side == OrderSide.Buy)
        {
            var cost = (quantity * price) + fee;
            return cost > _portfolio.Cash
                ? $"insufficient cash: buying {N(quantity)} at {N(price)} costs {N(cost)} with fee, cash is {N(_portfolio.Cash)}"
                : null;
        }

        var shorting = CheckShorting(side, quantity);
        if (shorting is not null)
        {
            return shorting;
        }

        var after = Position.Quantity - quantity;
        if (after < 0)
        {
            var equity = _portfolio.Cash + (Position.Quantity * price) - fee;
            if (-after * price > equity)
            {
                return $"insufficient margin: a short of {N(-after)} at {N(price)} exceeds equity {N(equity)}";
            }
        }

        return null;
    }

    private static string N(decimal value) => OrderListHash.Normalize(value);

    private void Reject(Order order, string reason)
    {
        order.Reject(Now, reason);
        _rejected.Add(order);
        _events.Enqueue(new OrderEvent(OrderEventKind.Rejected, order, Reason: reason));
        if (!_inCallback)
        {
            Drain();
        }
    }

    private void RemoveOpen(Order order)
    {
        var i = _open.IndexOf(order);
        if (i >= 0)
        {
            RemoveOpenAt(i);
        }
    }

    private void RemoveOpenAt(int i)
    {
        _open.RemoveAt(i);
        _openSince.RemoveAt(i);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Drain()
    {
        if (_events.Count != 0 && !_inCallback)
        {
            DrainQueued();
        }
    }

    private void DrainQueued()
    {
        while (_events.TryDequeue(out var e))
        {
            _inCallback = true;
            try
            {
                _strategy.OnOrderEvent(this, e);
            }
            finally
            {
                _inCallback = false;
            }
        }
    }
}
