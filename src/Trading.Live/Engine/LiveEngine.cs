using System.Diagnostics;
using EventLoop;
using Trading.Core.Accounting;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Accounting;
using Trading.Live.Binance;
using Trading.Live.Orders;
using Trading.Live.Paper;
using Trading.Live.Risk;

namespace Trading.Live.Engine;

/// <summary>
/// One live run on the loop thread (DESIGN.md, "Live mode, one event's journey"): market frames → strategy → risk gate →
/// order manager → WebSocket API; answers and execution reports → order manager → account → the strategy's order
/// callbacks. It is the strategy's <see cref="IStrategyContext"/>. Everything here runs on the loop thread and nothing
/// blocks it: sockets are loop completions, REST happened before the loop started (or is awaited), and the observer
/// must hand its output to another thread. No locks: one thread owns the strategy, the orders and the account.
/// <para>Start-up, in order: the WebSocket API connects; the user data stream is subscribed by signature; account.status
/// gives the balances and the fee rate; the strategy starts and is warmed up on the REST history (orders it submits
/// while warming up are dropped, as the optimizer's warm-up does); then the market streams connect and live data
/// flows. Stop (<see cref="RequestStop"/>, the duration, the kill switch, the venue closing): the strategy's OnStop,
/// open orders canceled (unless kept) and, after the kill switch with flatten, the position closed; once nothing is
/// working (or the stop timeout passed) both connections close with a close handshake and <see cref="Loop.Run"/>
/// returns.</para>
/// </summary>
public sealed partial class LiveEngine : IStrategyContext
{
    /// <summary>What <see cref="ILiveObserver.OnConnection"/> is told once the market streams are up and live data flows.</summary>
    public const string MarketConnected = "market streams connected";

    private static readonly Callback<LiveEngine> OnStatusTick = (e, loop, c, in r) => e.StatusTick(r);
    private static readonly Callback<LiveEngine> OnDurationTimer = (e, loop, c, in r) => e.DurationElapsed(r);
    private static readonly Callback<LiveEngine> OnStopTimer = (e, loop, c, in r) => e.StopTimedOut(r);
    private static readonly Callback<LiveEngine> OnStopSignal = (e, loop, c, in r) => e.StopSignaled();

    private readonly Loop _loop;
    private readonly LiveSettings _settings;
    private readonly IStrategy _strategy;
    private readonly IReadOnlyList<Candle> _history;
    private readonly TimeProvider _time;
    private long _clockOffset;
    private readonly ILiveObserver _observer;
    private readonly ClientOrderIdCodec _ids;
    private readonly OrderManager _orders;
    private readonly RiskGate _risk;
    private ApiSession _api;
    private readonly ApiRequestWriter _writer;
    private readonly VenueOrderParser _orderParser;
    private MarketStream _market;
    private readonly IVenueClient _venue;
    private readonly PaperVenue? _paper;
    private readonly Notifier _stopNotifier;
    private readonly Completion _stopWait = new();
    private readonly Completion _statusTimer = new();
    private readonly Completion _durationTimer = new();
    private readonly Completion _stopTimer = new();
    private readonly List<LiveFill> _fills = [];
    private readonly HashSet<long> _needsStatus = [];
    private LiveAccount _account;
    private Phase _phase;
    private LiveStopReason _stopReason;
    private string? _error;
    private bool _strategyActive;
    private bool _strategyStarted;
    private bool _marketClosed;
    private bool _apiClosed;
    private long _callbackNow;
    private long _lastCandleOpen = long.MinValue;
    private decimal _lastPrice;
    private long _tickStart;
    private double _lastTickToOrderMicros;
    private int _ordersSent;
    private int _ordersRejected;
    private decimal _startingEquity;
    private long _startTime;
    private LiveRunResult? _result;

    public LiveEngine(Loop loop, LiveSettings settings, HmacSigner signer, IStrategy strategy, SymbolRules rules,
        IReadOnlyList<Candle> history, long clockOffsetMs, ILiveObserver observer, IStrategyLogger log, TimeProvider? time = null,
        LiveMetrics? metrics = null, long clockUncertaintyMs = long.MaxValue)
    {
        Metrics = metrics ?? new LiveMetrics();
        _loop = loop;
        _settings = settings;
        _strategy = new StrategyGuard(strategy, OnStrategyFault);
        _history = history;
        _clockOffset = clockOffsetMs;
        _clockUncertainty = clockUncertaintyMs;
        _observer = observer;
        _time = time ?? TimeProvider.System;
        Log = log;
        Instrument = rules.Instrument;
        FeeRate = settings.FeeRate;
        _ids = settings.RunId is { } run ? new ClientOrderIdCodec(run) : ClientOrderIdCodec.NewRun();
        _orders = new OrderManager(_ids, Instrument.Symbol, new Listener(this));
        _risk = new RiskGate(settings.Risk with
        {
            MaxOpenOrders = settings.Risk.MaxOpenOrders ?? (rules.MaxOpenOrders > 0 ? rules.MaxOpenOrders : null),
        });
        _writer = new ApiRequestWriter(settings.ApiKey, signer, Instrument.Symbol);
        _orderParser = new VenueOrderParser(_ids);
        _apiParser = new ApiFrameParser(_ids, Instrument.BaseAsset, Instrument.QuoteAsset);
        var symbol = Instrument.Symbol.ToLowerInvariant();
        _streams = [$"{symbol}@kline_{settings.Interval}", $"{symbol}@bookTicker", $"{symbol}@trade"];
        _limiter = new Connection.RateLimiter(rules.RateLimits, headroom: 2);
        _api = NewApiSession();
        _market = NewMarketStream();
        _paper = settings.Paper ? new PaperVenue(loop, Instrument, _orders, settings.PaperCash, settings.FeeRate, settings.FeeAsset, () => Now, AfterVenueWork) : null;
        _venue = _paper ?? (IVenueClient)new BinanceVenueClient(() => _api, _writer, _ids);
        _account = new LiveAccount(Instrument, 0);
        _stopNotifier = new Notifier(loop);
    }

    private enum Phase : byte
    {
        Created,
        Connecting,
        Running,
        Stopping,
        Closing,
        Done,
    }

    /// <summary>The engine's System.Diagnostics.Metrics instruments.</summary>
    public LiveMetrics Metrics { get; }

    /// <summary>The orders of the run (tests and diagnostics).</summary>
    public OrderManager Orders => _orders;

    public RiskGate Risk => _risk;

    public LiveAccount Account => _account;

    /// <summary>The run's outcome, once <see cref="Loop.Run"/> returned.</summary>
    public LiveRunResult? Result => _result;

    /// <summary>This run's client order id prefix.</summary>
    public string RunPrefix => _ids.Prefix;

    // IStrategyContext ------------------------------------------------------------------------------------------

    /// <summary>Market time inside a callback; otherwise the replay clock in lockstep, the wall clock in real time.</summary>
    public long Now => _callbackNow != 0 ? _callbackNow : InLockstep ? _marketNow : WallNow();

    public Instrument Instrument { get; }

    /// <summary>The position rounded toward zero to the lot step (the contract): under FeeAsset.Received a buy's base fee
    /// leaves dust no order can sell, which stays in the account and in <see cref="Equity"/> but not here.</summary>
    public Position Position
    {
        get
        {
            var p = _account.Position;
            var tradable = Math.Sign(p.Quantity) * Instrument.RoundQuantityDown(Math.Abs(p.Quantity));
            return tradable == p.Quantity ? p : p with { Quantity = tradable };
        }
    }

    public decimal Cash => _account.Cash;

    public decimal Equity => _account.Equity;

    public decimal FeeRate { get; private set; }

    public bool AllowShort => false;

    public IStrategyLogger Log { get; }

    /// <summary>Connects and starts the run. Call on the loop thread (or before <see cref="Loop.Run"/>), once.</summary>
    public void Start()
    {
        if (_phase != Phase.Created)
        {
            throw new InvalidOperationException("the engine was already started");
        }

        _phase = Phase.Connecting;
        _startTime = WallNow();
        _stopNotifier.Wait(_stopWait, this, OnStopSignal);
        StartLockstep();
        if (_paper is not null)
        {
            StartPaper();
            return;
        }

        StartApi();
    }

    /// <summary>Asks the run to stop gracefully (Ctrl-C, SIGTERM). Safe from any thread; idempotent.</summary>
    public void RequestStop() => _stopNotifier.Notify();

    private long WallNow() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The timestamp signed requests carry: the wall clock corrected by the venue's clock offset.</summary>
    private long VenueNow() => WallNow() + _clockOffset;

    private CallbackAction StopSignaled()
    {
        Stop(LiveStopReason.Requested, null);
        return CallbackAction.Disarm;
    }

    private CallbackAction DurationElapsed(in CompletionResult r)
    {
        if (!r.IsCanceled)
        {
            Stop(LiveStopReason.Duration, null);
        }

        return CallbackAction.Disarm;
    }

    /// <summary>Begins the stop sequence (idempotent): OnStop, cancels, maybe a flattening order, then the close.</summary>
    private void Stop(LiveStopReason reason, string? error)
    {
        if (_phase >= Phase.Stopping)
        {
            return;
        }

        var wasRunning = _phase == Phase.Running;
        _phase = Phase.Stopping;
        _stopReason = reason;
        _error ??= error;
        _loop.Cancel(_durationTimer);
        _loop.Cancel(_doubtTimer); // the stop settles on its own, faster timer
        if (_strategyStarted)
        {
            _strategyActive = false;
            _strategy.OnStop(this);
        }

        if (wasRunning)
        {
            if (!_settings.KeepOrders)
            {
                // With the WebSocket API down these are marked PendingCancel and sent once it is back.
                foreach (var o in _orders.OpenLiveOrders.ToArray())
                {
                    SendCancel(o);
                }
            }

            if (_venue.IsOpen && reason == LiveStopReason.KillSwitch && _settings.Risk.FlattenOnKill && _account.Position.Quantity != 0)
            {
                Flatten();
            }
        }

        if (!WaitingForOrders())
        {
            WarnUnsettled("the venue cannot be reached");
            Close();
            return;
        }

        _loop.Timer(_stopTimer, _settings.StopTimeout, this, OnStopTimer);
        StartStopSettling();
    }

    /// <summary>
    /// While stopping: an order is still settling (canceled ones until the venue confirms, market orders until filled,
    /// anything in doubt or with a request in flight: LiveEngine.Settle.cs) and the venue can be asked — the WebSocket
    /// API is open, or coming back (a reconnect scheduled or connecting); a resting order kept with --keep-orders is not
    /// waited for. The stop timeout bounds the wait.
    /// </summary>
    private bool WaitingForOrders()
    {
        var reachable = _venue.IsOpen
            || (_paper is null && _phase == Phase.Stopping && (_apiReconnectTimer.State != CompletionState.Dead || !_apiClosed));
        return reachable && AnyUnresolved();
    }

    private CallbackAction StopTimedOut(in CompletionResult r)
    {
        if (!r.IsCanceled)
        {
            WarnUnsettled($"the stop timed out after {_settings.StopTimeout.TotalSeconds:0.###} s");
            Close();
        }

        return CallbackAction.Disarm;
    }

    /// <summary>Called whenever an order settles while stopping: closes once nothing is in flight.</summary>
    private void MaybeFinishStop()
    {
        if (_phase == Phase.Stopping && !WaitingForOrders())
        {
            _loop.Cancel(_stopTimer);
            WarnUnsettled("the venue cannot be reached");
            Close();
        }
    }

    /// <summary>A stop that ends with orders still unsettled says which, and why, so the user checks them on the venue
    /// (the next run with the same journal reconciles them).</summary>
    private void WarnUnsettled(string why)
    {
        var unsettled = new List<string>();
        foreach (var o in _orders.OpenLiveOrders)
        {
            if (Unresolved(o))
            {
                unsettled.Add($"{o.VenueId} {o.State}{(o.PendingRequestId != 0 ? $" (request {o.PendingRequestId} unanswered)" : "")}{(_held.Contains(o.Sequence) ? " (intent not yet on disk)" : "")}");
            }
        }

        if (unsettled.Count > 0)
        {
            Log.Log(StrategyLogLevel.Warning,
                $"stopping with {unsettled.Count} order(s) unsettled ({why}): {string.Join(", ", unsettled.Take(10))}{(unsettled.Count > 10 ? ", …" : "")}; check them on the venue, the next run with this journal reconciles them");
        }
    }

    private void Close()
    {
        if (_phase >= Phase.Closing)
        {
            return;
        }

        _phase = Phase.Closing;
        _loop.Cancel(_statusTimer);
        _loop.Cancel(_settleTimer);
        _loop.Cancel(_doubtTimer);
        _loop.Cancel(_stopWait);
        CancelConnectionTimers();
        JournalClosing();
        StopLockstep();
        _paper?.Close();
        _market.Close();
        _api.Close();
        MaybeDone();
    }

    private void MaybeDone()
    {
        if (_phase != Phase.Closing || !_marketClosed || !_apiClosed)
        {
            return;
        }

        _phase = Phase.Done;
        _result = WithRecord(new LiveRunResult(_stopReason, _error, _fills, _ordersSent, _ordersRejected, _orders.OpenCount, _startingEquity,
            _account.Cash, _account.Position, _account.Equity, _account.FeesPaid, MarketMessagesTotal, MalformedFramesTotal,
            _startTime, WallNow())
        {
            ApiReconnects = ApiReconnects, MarketReconnects = MarketReconnects, GapCandles = GapCandles, BadFrames = BadFrames,
            RateLimited = RateDeferredTotal, Reconciliation = Reconciliation,
        });
        _observer.OnConnection($"stopped: {_stopReason}{(_error is null ? "" : " (" + _error + ")")}");
    }

    private CallbackAction StatusTick(in CompletionResult r)
    {
        if (r.IsCanceled || _phase >= Phase.Closing)
        {
            return CallbackAction.Disarm;
        }

        _observer.OnStatus(new LiveStatus(WallNow(), _lastPrice, _account.Position.Quantity, _account.Cash, _account.Equity,
            _account.Equity - _startingEquity, _orders.OpenCount, _lastTickToOrderMicros, MarketMessagesTotal));
        return CallbackAction.Rearm;
    }

    /// <summary>Balances and fees are known: start the strategy, warm it up on history, then open the market streams.</summary>
    private void BeginTrading(decimal quote, decimal @base, decimal? takerRate)
    {
        if (takerRate is { } rate)
        {
            FeeRate = rate;
        }

        var lastHistory = _history.Count > 0 ? (decimal)_history[^1].Close : 0m;
        _account = new LiveAccount(Instrument, quote, @base, lastHistory);
        _lastPrice = lastHistory;
        // In lockstep with no history the replay clock starts at the first market event: a wall-clock start would be
        // later than every replayed time and hold the clock (and every timer and paper fill time) there.
        _marketNow = _history.Count > 0 ? _history[^1].OpenTime + _settings.IntervalMs : InLockstep ? 0 : WallNow();
        _startingEquity = _account.Equity;
        JournalTradingBegins();
        // The daily-loss day runs on market time (trade and fill times), as the later updates do; a replay's is not today.
        _risk.OnEquity(_startingEquity, _history.Count > 0 ? _history[^1].OpenTime + _settings.IntervalMs : WallNow());
        _strategyStarted = true;
        _strategy.OnStart(this);
        _warmingUp = true;
        try
        {
            foreach (var candle in _history)
            {
                DeliverCandle(candle, warmup: true);
            }
        }
        finally
        {
            _warmingUp = false;
        }

        if (_phase >= Phase.Stopping)
        {
            return; // the strategy threw while starting or warming up: the stop is under way
        }

        _strategyActive = true;
        StartMarket();
    }

    private void DeliverCandle(in Candle candle, bool warmup)
    {
        if (candle.OpenTime <= _lastCandleOpen)
        {
            return; // the warm-up history and the stream overlap: every closed candle reaches the strategy once
        }

        _lastCandleOpen = candle.OpenTime;
        if (!warmup)
        {
            RecordCurve(candle);
        }

        _observer.OnCandle(candle, warmup);
        if (!warmup && !_strategyActive)
        {
            return;
        }

        _callbackNow = candle.OpenTime + _settings.IntervalMs;
        try
        {
            _strategy.OnCandle(this, candle);
        }
        finally
        {
            _callbackNow = 0;
        }
    }

    private void EnterRunning()
    {
        _phase = Phase.Running;
        if (_observer.WantsStatus)
        {
            _loop.Timer(_statusTimer, TimeSpan.FromSeconds(1), this, OnStatusTick); // nobody shown it: no wake-up a second
        }
        if (_settings.Duration is { } duration)
        {
            _loop.Timer(_durationTimer, duration, this, OnDurationTimer);
        }
    }

    private void TripKillSwitch(string reason)
    {
        Metrics.RiskTrips.Add(1);
        JournalRiskTrip(RiskRule.KillSwitch, reason);
        _observer.OnRisk(RiskRule.KillSwitch, reason, tripped: true);
        Log.Log(StrategyLogLevel.Warning, $"kill switch: {reason}");
        Stop(LiveStopReason.KillSwitch, null);
    }

    private static double StopwatchMicros(long start) => (Stopwatch.GetTimestamp() - start) * 1_000_000.0 / Stopwatch.Frequency;
}
