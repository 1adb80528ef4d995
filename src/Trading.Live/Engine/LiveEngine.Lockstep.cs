using EventLoop;
using Trading.Live.Binance;

namespace Trading.Live.Engine;

/// <summary>
/// Lockstep (<see cref="LiveSettings.Lockstep"/>): the pump steps the simulator only when this engine says it is idle
/// (see <see cref="LockstepBarrier"/>), and the engine's <see cref="Now"/> is the replay clock — the time of the last
/// market event handled (a trade's time, a candle's close) — instead of the wall clock, so strategy timers set from it
/// are due on market time too. The idle check runs after every callback the two connections make; it sends at most one
/// <c>ping</c> at a time and allocates nothing.
/// </summary>
public sealed partial class LiveEngine
{
    private static readonly Callback<LiveEngine> OnLockstepSignal = (e, loop, c, in r) => e.LockstepSignaled(r);

    private readonly Completion _lockstepWait = new();
    private Notifier? _lockstepNotifier;
    private long _marketEvents;
    private long _marketNow;
    private long _pingId;
    private bool _pingAnswered;
    private long _answers;
    private long _answersAtPing;

    /// <summary>Market events handled since the market streams connected: trade prints and closed candles.</summary>
    public long MarketEvents => _marketEvents;

    private bool InLockstep => _settings.Lockstep is not null;

    private void StartLockstep()
    {
        if (_settings.Lockstep is not { } barrier)
        {
            return;
        }

        _lockstepNotifier = new Notifier(_loop);
        _lockstepNotifier.Wait(_lockstepWait, this, OnLockstepSignal);
        barrier.Attach(_lockstepNotifier.Notify);
    }

    private void StopLockstep()
    {
        if (_settings.Lockstep is { } barrier)
        {
            _loop.Cancel(_lockstepWait);
            barrier.Abandon();
        }
    }

    private CallbackAction LockstepSignaled(in CompletionResult r)
    {
        if (r.IsCanceled)
        {
            return CallbackAction.Disarm;
        }

        LockstepCheck();
        return CallbackAction.Rearm;
    }

    /// <summary>A market event was handled: count it and move the replay clock.</summary>
    private void OnLockstepMarketEvent(long time)
    {
        _marketEvents++;
        if (time > _marketNow)
        {
            _marketNow = time;
            FireDueTimers();
        }
    }

    /// <summary>
    /// Runs the strategy timers due at or before the replay clock, earliest first (before the event that moved the clock
    /// reaches the strategy), each with <see cref="Now"/> = its due time; a periodic one re-arms at due + interval, so a
    /// gap in the data fires it once per interval passed, as a backtest would.
    /// </summary>
    private void FireDueTimers()
    {
        while (_strategyActive)
        {
            StrategyTimer? next = null;
            foreach (var t in _timers.Values)
            {
                if (t.DueMs <= _marketNow && (next is null || t.DueMs < next.DueMs))
                {
                    next = t;
                }
            }

            if (next is null)
            {
                return;
            }

            var due = next.DueMs;
            if (next.IntervalMs == 0)
            {
                _timers.Remove(next.Name);
            }
            else
            {
                next.DueMs += next.IntervalMs;
            }

            _callbackNow = due;
            try
            {
                _strategy.OnTimer(this, new Trading.Core.Strategies.TimerEvent(next.Name, due, next.IntervalMs));
            }
            finally
            {
                _callbackNow = 0;
            }
        }
    }

    /// <summary>An answer (or a timeout) of a request other than the lockstep ping: a ping sent before it is stale.</summary>
    private bool OnLockstepAnswer(in PendingRequest request)
    {
        if (request.Kind == RequestKind.Time && request.Id == _pingId)
        {
            _pingAnswered = true;
            return true;
        }

        _answers++;
        return false;
    }

    /// <summary>
    /// Releases the pump when idle: the events it stepped are handled, nothing is pending (no request unanswered, no order
    /// waiting for its intent to be durable), and a ping sent after the
    /// last answer came back. Otherwise sends that ping once nothing else is pending.
    /// </summary>
    private void LockstepCheck()
    {
        if (_settings.Lockstep is not { } barrier || _phase != Phase.Running)
        {
            return;
        }

        var target = barrier.Target;
        if (_lockstepResync && target >= 0 && _market.IsOpen)
        {
            _lockstepResync = false;
            _marketEvents = Math.Max(_marketEvents, target); // a reconnected stream lost what was stepped meanwhile
        }

        // An order whose intent is still on its way to the journal has not left yet: not idle until it has been sent.
        // Nor while a connection is down or a gap fill is on its way (reconnects, LiveEngine.Connection.cs).
        if (target < 0 || _marketEvents < target || _api.PendingCount != 0 || _gate.Count != 0 || _gapFilling || !_api.IsOpen || !_market.IsOpen)
        {
            return;
        }

        if (_pingId != 0 && _pingAnswered && _answersAtPing == _answers)
        {
            _pingId = 0;
            barrier.Release();
            return;
        }

        if (_pingId == 0 || _pingAnswered)
        {
            _pingId = _api.NextId();
            _pingAnswered = false;
            _answersAtPing = _answers;
            _api.Send(_pingId, _writer.Unsigned(_pingId, "ping"u8), RequestKind.Time, 0);
        }
    }
}
