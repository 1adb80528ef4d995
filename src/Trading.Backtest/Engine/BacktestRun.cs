using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Trading.Backtest.Results;
using Trading.Core.Accounting;
using Trading.Core.Execution;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Engine;

/// <summary>
/// The state of one backtest and the <see cref="IStrategyContext"/> its strategy sees. Orders flow strategy →
/// <see cref="Submit"/> (checks: warm-up, filters, funds, shorting) → the simulated venue (<see cref="FillModel"/>) →
/// portfolio and trade ledger → order events. Events are queued and delivered after the strategy's current
/// callback returns, so a strategy is never re-entered. Single-threaded by design.
/// <para>
/// The replay clock, per candle i: timers due before its open, the fills at its open and within it (stamped with the
/// open time), timers due before its close, then <see cref="IStrategy.OnCandle"/> at its close. A timer due at t thus
/// fires just before the first market event stamped later than t (see <see cref="IStrategyContext.SetTimer"/>).
/// </para>
/// </summary>
internal sealed partial class BacktestRun : IStrategyContext
{
    private readonly IStrategy _strategy;
    private readonly BacktestOptions _options;
    private readonly Instrument _instrument;
    private readonly BacktestAccount _account;
    private readonly TradeLedger _ledger;
    private readonly RunScratch _work = RunScratch.Take();
    private readonly TimerSchedule _timers;
    private readonly List<BacktestOrder> _open;
    private readonly List<int> _openSince;
    private readonly List<OrderView> _openViews;
    private readonly List<BacktestOrder> _scratch;
    private readonly OrderSlotStack _retired;
    private readonly OrderSlotStack _free;
    private readonly List<int> _scratchSince;
    private readonly Queue<OrderEvent> _events;
    private readonly OrderListHasher _hash;

    /// <summary>Every fill, when kept (<see cref="BacktestOptions.RecordFills"/>); handed out in the result.</summary>
    private readonly ChunkedLog<Fill>? _fills;

    /// <summary>Rejected orders, created at the first; handed out in the result (their reasons formatted when read).</summary>
    private RejectedLog? _rejected;
    private readonly bool _recordFills;
    private readonly int _warmUp;

    /// <summary>The strategy implements OnOrderEvent: only then are events built (the default method ignores them).</summary>
    private readonly bool _listens;
    /// <summary>The close of the candle being replayed (all that is kept of it: no per-candle struct copy).</summary>
    private double _close;
    private double _mark;
    private decimal _held;
    private readonly InstrumentRules _rules;

    /// <summary>1 + <see cref="CashFeeRate"/> of each side, for <see cref="InstrumentRules.QuantityForBudgetAt"/>: worked out once per run, not per entry.</summary>
    private readonly decimal _onePlusBuyFeeRate;
    private readonly decimal _onePlusSellFeeRate;

    /// <summary>The open and close of the candle being replayed as exact decimals, converted once when first needed.</summary>
    private decimal _openDecimal;
    private decimal _closeDecimal;
    private int _openDecimalAt = int.MinValue;
    private int _closeDecimalAt = int.MinValue;
    private int _index = -1;
    private bool _inCallback;
    private bool _atClose;
    private bool _stopped;
    private bool _viewsStale;

    /// <summary>
    /// Nothing on the book, no timer, no slot to recycle and no event queued, as far as known: <see cref="Step"/> then
    /// skips <see cref="BeforeClose"/> and the drain with one test. Cleared wherever one of those can appear (an
    /// order accepted or retired, a timer set); set again only by <see cref="BeforeClose"/>, from the containers.
    /// Clear when in doubt: a spurious false costs one <see cref="BeforeClose"/>, a wrong true loses work.
    /// </summary>
    private bool _quiet = true;

    /// <summary>From OnCandle until the next candle's replay begins: a market order may fill at this close (trade-on-close).</summary>
    private long _orderSeq;
    private long _tradeSeq;

    public BacktestRun(IStrategy strategy, BacktestOptions options, int warmUp)
    {
        if (options.FeeAsset == FeeAsset.Received && options.AllowShort)
        {
            throw new ArgumentException("fees in the received asset model Binance spot, which has no shorts: do not combine them with shorting", nameof(options));
        }

        _strategy = strategy;
        _options = options;
        _instrument = options.Instrument;
        _account = _work.Account;
        _account.Reset(options.InitialCash);
        _rules = _work.Rules is { } rules && ReferenceEquals(rules.Instrument, _instrument) ? rules : (_work.Rules = new InstrumentRules(_instrument));
        _ledger = _work.Ledger;
        _ledger.Reset(_instrument.LotStep, options.RecordTrades);
        _warmUp = warmUp;
        _listens = ListensToOrderEvents(strategy.GetType());
        _recordFills = options.RecordFills;
        _fills = _recordFills ? new ChunkedLog<Fill>() : null;
        (_timers, _open, _openSince, _openViews, _scratch, _retired, _free, _scratchSince, _events, _hash) =
            (_work.Timers, _work.Open, _work.OpenSince, _work.OpenViews, _work.Scratch, _work.Retired, _work.Free, _work.ScratchSince, _work.Events, _work.Hasher);
        CashD = (double)options.InitialCash;
        _onePlusBuyFeeRate = 1 + CashFeeRate(OrderSide.Buy);
        _onePlusSellFeeRate = 1 + CashFeeRate(OrderSide.Sell);
    }

    /// <summary>Cash as a double, mirrored on each fill, for the per-candle equity curve.</summary>
    public double CashD { get; private set; }

    /// <summary>Signed holding as a double (dust included), mirrored on each fill.</summary>
    public double PositionD { get; private set; }

    /// <summary>A tradable position is held (dust below one lot does not count), mirrored on each fill.</summary>
    public bool Exposed { get; private set; }

    public long IntervalMs { get; set; }

    public long Now { get; private set; }

    public Instrument Instrument => _instrument;

    /// <summary>The tradable position (rounded toward zero to the lot step), refreshed on each fill.</summary>
    public Position Position { get; private set; }

    public decimal Cash => _account.Cash;

    /// <summary>Cash + holding at the current mark (the last close, or the open once a candle's fills are done).</summary>
    public decimal Equity => decimal.Sign(_held) == 0 ? _account.Cash : _account.Cash + (_held * FillModel.ToDecimal(_mark));

    public decimal FeeRate => _options.FeeRate;

    public FeeAsset FeeAsset => _options.FeeAsset;

    public bool AllowShort => _options.AllowShort;

    public bool IsWarmingUp => _index < _warmUp;

    public ReadOnlySpan<OrderView> OpenOrders => CollectionsMarshal.AsSpan(OpenViews);

    public IStrategyLogger Log { get; set; } = NullStrategyLogger.Instance;

    public BacktestAccount Account => _account;

    public TradeLedger Ledger => _ledger;

    /// <summary>Every fill, in order; empty unless <see cref="BacktestOptions.RecordFills"/>.</summary>
    public IReadOnlyList<Fill> Fills => (IReadOnlyList<Fill>?)_fills ?? [];

    public int FillCount { get; private set; }

    /// <summary>The order-list hash of every fill (see <see cref="OrderListHash"/>), built as they happened; call once, at the end.</summary>
    public string FinishOrderListHash() => _hash.Finish();

    public IReadOnlyList<OrderView> Rejected => (IReadOnlyList<OrderView>?)_rejected ?? [];

    /// <summary>
    /// Hands the run's working containers back for the thread's next run; call once, after the result has taken
    /// <see cref="OpenOrdersCopy"/>, the hash and everything else it keeps. The run is unusable afterwards.
    /// </summary>
    public void Release() => _work.Return();

    /// <summary>The open orders' views as a list of the result's own (the working list is reused by the next run).</summary>
    public IReadOnlyList<OrderView> OpenOrdersCopy()
    {
        var views = OpenViews;
        return views.Count == 0 ? [] : views.ToArray();
    }

    /// <summary>
    /// The open orders' views, in book order, built when asked for: an open order's view does not change while it
    /// rests (fills are complete, so an order leaves the book at its first fill), so a view taken now is the one taken
    /// at acceptance, and a strategy that never reads them costs none.
    /// </summary>
    public List<OrderView> OpenViews
    {
        get
        {
            if (_viewsStale)
            {
                _openViews.Clear();
                foreach (var order in _open)
                {
                    _openViews.Add(order.View());
                }

                _viewsStale = false;
            }

            return _openViews;
        }
    }

    public void Start(in Candle first)
    {
        Now = first.OpenTime;
        _mark = first.Open;
        _inCallback = true;
        _strategy.OnStart(this);
        _inCallback = false;
        Drain();
    }

    /// <summary>
    /// Candle <paramref name="index"/>: timers, fills at its open, timers, then the closed candle to the strategy.
    /// Inlined into the replay loop; with nothing on the book, no timer set and no order slot to recycle (most candles)
    /// none of the first three can happen, so only the state the strategy sees at the close is written (see <see cref="_quiet"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step(int index, in Candle candle)
    {
        if (!_quiet)
        {
            BeforeClose(index, candle);
        }
        else
        {
            _index = index;
            _close = candle.Close;
        }

        Now = candle.OpenTime + IntervalMs;
        _mark = candle.Close;
        _inCallback = true;
        _atClose = true;
        _strategy.OnCandle(this, candle);
        _inCallback = false;

        // An event is queued only where _quiet is cleared (an order accepted, retired, rejected).
        if (!_quiet)
        {
            Drain();
        }
    }

    /// <summary>The part of <see cref="Step"/> before the close, when something may happen there: recycling, timers, fills.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void BeforeClose(int index, in Candle candle)
    {
        if (_retired.Count != 0)
        {
            Recycle();
        }

        _atClose = false;
        if (_timers.Count != 0)
        {
            FireTimers(candle.OpenTime);
        }

        _index = index;
        _close = candle.Close;
        Now = candle.OpenTime;
        _mark = candle.Open;
        if (_open.Count != 0)
        {
            MatchOpenOrders(candle);
        }

        if (_timers.Count != 0)
        {
            FireTimers(candle.OpenTime + IntervalMs);
        }

        // The slots retired by this candle's fills and timers are free already: every callback chain that handled
        // them has returned (this runs from Step, in no callback), so the next candle need not come here to recycle
        // them — after a fill, the usual next candle is then a quiet one.
        if (_retired.Count != 0)
        {
            Recycle();
        }

        _quiet = (_retired.Count | _timers.Count | _open.Count | _events.Count) == 0;
    }

    /// <summary>After the last candle: close the position when asked, then tell the strategy it is over.</summary>
    public void Finish()
    {
        if (_options.CloseAtEnd && !Position.IsFlat)
        {
            var q = Position.Quantity;
            var order = NewOrder(OrderRequest.Market(q > 0 ? OrderSide.Sell : OrderSide.Buy, Math.Abs(q), "end"), ClientOrderId.None);
            Execute(order, CloseDecimal(), Now);
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
        var order = NewOrder(request, ClientOrderId.None);
        var reason = Refusal();
        if (reason.IsNone)
        {
            reason = Check(order);
        }

        if (!reason.IsNone)
        {
            Reject(order, reason);
            return order.Id;
        }

        Accept(order);
        if (_options.TradeOnClose && _atClose && order.Type == OrderType.Market)
        {
            Execute(order, Slip(CloseDecimal(), order.Side), Now);
        }

        if (!_inCallback)
        {
            Drain();
        }

        return order.Id;
    }

    public OcoOrderIds SubmitOco(in OrderRequest stopLoss, in OrderRequest takeProfit)
    {
        var stopId = new ClientOrderId(_orderSeq + 1);
        var limitId = new ClientOrderId(_orderSeq + 2);
        var stop = NewOrder(stopLoss, limitId);
        var limit = NewOrder(takeProfit, stopId);
        var reason = Refusal();
        if (reason.IsNone)
        {
            reason = CheckOco(stop, limit);
        }

        if (!reason.IsNone)
        {
            Reject(stop, reason);
            Reject(limit, reason);
        }
        else
        {
            Accept(stop);
            Accept(limit);
            if (!_inCallback)
            {
                Drain();
            }
        }

        return new OcoOrderIds(stop.Id, limit.Id);
    }

    public bool Cancel(ClientOrderId id)
    {
        var i = IndexOfOpen(id);
        if (i < 0)
        {
            return false;
        }

        var order = _open[i];
        CancelOpen(order, "canceled by strategy");
        if (!order.OcoPartner.IsNone && FindOpen(order.OcoPartner) is { } partner)
        {
            CancelOpen(partner, "oco: the other order was canceled");
        }

        if (!_inCallback)
        {
            Drain();
        }

        return true;
    }

    public void SetTimer(string name, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(name);
        var ms = (long)interval.TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfLessThan(ms, 1, nameof(interval));
        _timers.Set(name, Now + ms, ms);
        _quiet = false;
    }

    public void SetAlarm(string name, long atMs)
    {
        ArgumentNullException.ThrowIfNull(name);
        _timers.Set(name, atMs, 0);
        _quiet = false;
    }

    public bool CancelTimer(string name) => _timers.Cancel(name);

    /// <summary>Fires, in due order, every timer due strictly before <paramref name="before"/>, each with Now = its due time.</summary>
    private void FireTimers(long before)
    {
        while (!_stopped && _timers.TryTakeDue(before, out var timer))
        {
            Now = Math.Max(Now, timer.DueTime);
            _inCallback = true;
            try
            {
                _strategy.OnTimer(this, timer);
            }
            finally
            {
                _inCallback = false;
            }

            Drain();
        }
    }

    private RejectReason Refusal() =>
        _stopped ? RejectReason.Text("the backtest has ended")
        : IsWarmingUp ? RejectReason.WarmingUp(_warmUp)
        : default;

    private BacktestOrder NewOrder(in OrderRequest request, ClientOrderId ocoPartner)
    {
        var id = new ClientOrderId(++_orderSeq);
        var slot = _free.Count != 0 ? _free.Pop() : new BacktestOrder();
        return slot.Reset(id, request, _rules.RoundQuantityDown(request.Quantity), Now, ocoPartner);
    }

    /// <summary>
    /// Returns the retired slots to the free list. Only from <see cref="BeforeClose"/>, outside every strategy callback,
    /// does no caller still hold one (Submit returns the id of an order that may have filled and left the book within it).
    /// </summary>
    private void Recycle()
    {
        _retired.MoveAllTo(_free);
    }

    /// <summary>A slot whose order left the book (or never joined it), free for reuse at the next <see cref="Recycle"/>.</summary>
    private void Retire(BacktestOrder order)
    {
        _retired.Push(order);
        _quiet = false;
    }

    private void Accept(BacktestOrder order)
    {
        _open.Add(order);
        _quiet = false;
        _openSince.Add(_index);
        _viewsStale = true;
        if (_listens)
        {
            _events.Enqueue(new OrderEvent(OrderEventKind.Accepted, order.View()));
        }
    }

    /// <summary>Checks made when the order is submitted; none when it may rest or execute.</summary>
    private RejectReason Check(BacktestOrder order)
    {
        // decimal.Sign: sign tests read from the bits (the operators with 0m are general comparisons).
        var quoteSized = order.Type == OrderType.Market && decimal.Sign(order.QuoteQuantity) > 0;
        if (quoteSized)
        {
            return decimal.Sign(order.Quantity) != 0 ? RejectReason.Text("give either a quantity or a quote quantity, not both") : default;
        }

        if (decimal.Sign(order.Quantity) <= 0)
        {
            return RejectReason.LotZero(_instrument.LotStep);
        }

        decimal reference;
        switch (order.Type)
        {
            case OrderType.Limit:
                if (decimal.Sign(order.Price) <= 0 || !Instrument.IsOnGrid(order.Price, _instrument.TickSize))
                {
                    return RejectReason.LimitPrice(order.Price, _instrument.TickSize);
                }

                reference = order.Price;
                break;
            case OrderType.StopMarket:
                if (decimal.Sign(order.StopPrice) <= 0 || !Instrument.IsOnGrid(order.StopPrice, _instrument.TickSize))
                {
                    return RejectReason.StopPrice(order.StopPrice, _instrument.TickSize);
                }

                reference = order.StopPrice;
                break;
            default:
                reference = _index >= 0 ? CloseDecimal() : 0;
                break;
        }

        return _rules.PassesFilters(order.Quantity, reference)
            ? CheckShorting(order.Side, order.Quantity)
            : RejectReason.Filters(order.Quantity, reference);
    }

    /// <summary>An OCO pair: a stop-market and a limit on one side for one quantity, the stop on the losing side of the limit.</summary>
    private RejectReason CheckOco(BacktestOrder stop, BacktestOrder limit)
    {
        if (stop.Type != OrderType.StopMarket || limit.Type != OrderType.Limit)
        {
            return RejectReason.Text("oco: the stop-loss must be a stop-market order and the take-profit a limit order");
        }

        if (stop.Side != limit.Side || stop.Quantity != limit.Quantity)
        {
            return RejectReason.OcoSides(stop.Side, stop.Quantity, limit.Side, limit.Quantity);
        }

        var ordered = stop.Side == OrderSide.Sell ? stop.StopPrice < limit.Price : stop.StopPrice > limit.Price;
        if (!ordered)
        {
            return RejectReason.OcoOrder(stop.Side, stop.StopPrice, limit.Price);
        }

        var reason = Check(stop);
        return reason.IsNone ? Check(limit) : reason;
    }

    private RejectReason CheckShorting(OrderSide side, decimal quantity)
    {
        if (side == OrderSide.Sell && !_options.AllowShort)
        {
            var held = Position.Quantity;
            if (!DecimalParts.SameBits(in quantity, in held) && quantity > held)
            {
                return RejectReason.Shorting(quantity, held);
            }
        }

        return default;
    }

    /// <summary>
    /// Rejects <paramref name="order"/>. Its reason's text is made here only for a strategy that listens to order
    /// events (the event carries it); otherwise the rejected list formats it when read (<see cref="RejectedLog"/>),
    /// so a run that nothing asks for its reasons builds no string per rejection.
    /// </summary>
    private void Reject(BacktestOrder order, in RejectReason reason)
    {
        var text = _listens ? reason.Format(_instrument) : null;
        order.Reject(Now, text);
        Retire(order);
        (_rejected ??= new RejectedLog(_instrument)).Add(order, reason);
        if (_listens)
        {
            _events.Enqueue(new OrderEvent(OrderEventKind.Rejected, order.View(), Reason: text));
        }
        if (!_inCallback)
        {
            Drain();
        }
    }

    private void CancelOpen(BacktestOrder order, string reason)
    {
        RemoveOpen(order);
        order.Cancel(Now, reason);
        Retire(order);
        if (_listens)
        {
            _events.Enqueue(new OrderEvent(OrderEventKind.Canceled, order.View(), Reason: reason));
        }
    }

    private int IndexOfOpen(ClientOrderId id)
    {
        for (var i = 0; i < _open.Count; i++)
        {
            if (_open[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    private BacktestOrder? FindOpen(ClientOrderId id)
    {
        var i = IndexOfOpen(id);
        return i >= 0 ? _open[i] : null;
    }

    private void RemoveOpen(BacktestOrder order)
    {
        // By reference, last first (the usual book holds one order): List.IndexOf would call Equals per slot.
        var i = _open.Count - 1;
        while (i >= 0 && !ReferenceEquals(_open[i], order))
        {
            i--;
        }

        if (i >= 0)
        {
            _open.RemoveAt(i);
            _openSince.RemoveAt(i);
            _viewsStale = true;
        }
    }

    /// <summary>
    /// Whether <paramref name="type"/> implements <see cref="IStrategy.OnOrderEvent"/> itself (or inherits an
    /// implementation): the interface's default method does nothing, so for a strategy that keeps it no event is built.
    /// Cached per type: an optimizer sweep creates thousands of runs of one strategy.
    /// </summary>
    private static bool ListensToOrderEvents(Type type) =>
        ListenerTypes.GetOrAdd(type, static t =>
        {
            var map = t.GetInterfaceMap(typeof(IStrategy));
            var i = Array.FindIndex(map.InterfaceMethods, m => m.Name == nameof(IStrategy.OnOrderEvent));
            return i < 0 || map.TargetMethods[i].DeclaringType != typeof(IStrategy);
        });

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> ListenerTypes = new();

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
