using EventLoop;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Live.Engine;

/// <summary>
/// Contract v2 on the loop: the fee asset, warm-up, order views, strategy timers and OCO exits. Timers are loop timers:
/// a timer set at the strategy's <see cref="Now"/> = t with delay d fires d of wall time later (never earlier), on the
/// loop thread, with Now = its due time t + d — so a strategy replayed by the simulator, whose Now is market time, gets
/// due times on its own clock. A periodic timer keeps its phase: the loop re-arms it at its deadline + interval.
/// In lockstep no loop timer is armed: a timer fires when the replay clock reaches its due time (LiveEngine.Lockstep.cs).
/// </summary>
public sealed partial class LiveEngine
{
    private static readonly Callback<StrategyTimer> OnStrategyTimer = (t, loop, c, in r) => t.Engine.StrategyTimerFired(t, r);

    private static readonly long MaxDelayMs = (long)TimeSpan.MaxValue.TotalMilliseconds;

    private readonly Dictionary<string, StrategyTimer> _timers = new(StringComparer.Ordinal);
    private OrderView[] _openViews = new OrderView[8];
    private bool _warmingUp;

    /// <summary>The asset the venue charges commissions in (Binance spot without BNB: the asset received).</summary>
    public FeeAsset FeeAsset => _settings.FeeAsset;

    public bool IsWarmingUp => _warmingUp;

    /// <summary>Copies of the working orders, oldest first, in a buffer the engine reuses (no allocation once it has grown).</summary>
    public ReadOnlySpan<OrderView> OpenOrders
    {
        get
        {
            var open = _orders.OpenOrders;
            if (_openViews.Length < open.Length)
            {
                _openViews = new OrderView[Math.Max(open.Length, _openViews.Length * 2)];
            }

            for (var i = 0; i < open.Length; i++)
            {
                _openViews[i] = open[i].View();
            }

            return _openViews.AsSpan(0, open.Length);
        }
    }

    /// <summary>
    /// A one-cancels-other exit placed as one native order list (<c>orderList.place.oco</c>; LiveEngine.Oco.cs): both
    /// legs pass the filters and the risk gate, or neither leaves. See <see cref="PlaceOcoPair"/> for what is checked.
    /// </summary>
    public OcoOrderIds SubmitOco(in OrderRequest stopLoss, in OrderRequest takeProfit)
    {
        if (!_strategyActive && !_warmingUp)
        {
            return default;
        }

        if (_warmingUp)
        {
            var stop = _orders.Create(stopLoss, Now);
            var take = _orders.Create(takeProfit, Now);
            _orders.OnPlaceRejected(stop.Sequence, WarmingUpReason, Now);
            _orders.OnPlaceRejected(take.Sequence, WarmingUpReason, Now);
            return new OcoOrderIds(stop.Id, take.Id);
        }

        return PlaceOcoPair(stopLoss, takeProfit);
    }

    public void SetTimer(string name, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(name);
        var ms = (long)interval.TotalMilliseconds;
        if (ms < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "a timer's interval is at least one millisecond");
        }

        Arm(name, Now, ms, ms);
    }

    public void SetAlarm(string name, long atMs)
    {
        ArgumentNullException.ThrowIfNull(name);
        var now = Now;
        Arm(name, now, Math.Max(0, atMs - now), 0);
    }

    public bool CancelTimer(string name)
    {
        if (!_timers.Remove(name, out var timer))
        {
            return false;
        }

        if (!InLockstep)
        {
            _loop.Cancel(timer.Completion);
        }

        return true;
    }

    private void Arm(string name, long now, long delayMs, long intervalMs)
    {
        CancelTimer(name);
        // A fresh completion per arming: a canceled one stays active until its canceled callback has run.
        var timer = new StrategyTimer(this, name, now + delayMs, intervalMs);
        _timers[name] = timer;
        if (InLockstep)
        {
            return; // due on the replay clock: FireDueTimers runs it when a market event reaches its due time
        }

        // An alarm beyond TimeSpan's range (a strategy's "never") is a timer that never fires, not an overflow.
        var delay = delayMs >= MaxDelayMs ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(delayMs);
        _loop.Timer(timer.Completion, delay, timer, OnStrategyTimer);
    }

    private CallbackAction StrategyTimerFired(StrategyTimer timer, in CompletionResult r)
    {
        if (r.IsCanceled || !_timers.TryGetValue(timer.Name, out var current) || !ReferenceEquals(current, timer))
        {
            return CallbackAction.Disarm;
        }

        if (!_strategyActive)
        {
            _timers.Remove(timer.Name);
            return CallbackAction.Disarm;
        }

        var due = timer.DueMs;
        if (timer.IntervalMs == 0)
        {
            _timers.Remove(timer.Name);
        }
        else
        {
            timer.DueMs += timer.IntervalMs;
        }

        _callbackNow = due;
        try
        {
            _strategy.OnTimer(this, new TimerEvent(timer.Name, due, timer.IntervalMs));
        }
        finally
        {
            _callbackNow = 0;
        }

        // The strategy may have replaced or canceled this timer from its callback; a periodic one re-arms in phase.
        return timer.IntervalMs != 0 && _timers.TryGetValue(timer.Name, out current) && ReferenceEquals(current, timer)
            ? CallbackAction.Rearm
            : CallbackAction.Disarm;
    }

    private sealed class StrategyTimer(LiveEngine engine, string name, long dueMs, long intervalMs)
    {
        public LiveEngine Engine { get; } = engine;

        public string Name { get; } = name;

        public long IntervalMs { get; } = intervalMs;

        public long DueMs { get; set; } = dueMs;

        public Completion Completion { get; } = new();
    }
}
