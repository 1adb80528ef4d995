using Trading.Sim.Market;

namespace Trading.Sim;

/// <summary>Lockstep: stepping by candles, the replay's state and idleness.</summary>
internal sealed partial class SimExchange
{
    private readonly List<TaskCompletionSource> _idleWaiters = [];
    private long _requestsInFlight;
    private int _idleWaiterCount;

    /// <summary>
    /// Emits market events until <paramref name="candles"/> kline closes have been emitted (a candle is five events:
    /// its four trade prints, then the close); returns how many events that took (fewer at the end of the data).
    /// </summary>
    public int StepCandles(int candles)
    {
        lock (_gate)
        {
            var events = 0;
            var closes = 0;
            while (closes < candles && _market.NextEventKind is { } kind && StepOne())
            {
                events++;
                if (kind == MarketEventKind.KlineClosed)
                {
                    closes++;
                }
            }

            return events;
        }
    }

    public SimState State(double speed)
    {
        lock (_gate)
        {
            return new SimState(_market.Now, _market.LastEventCandle, _market.EventsLeft, IsIdle(), speed);
        }
    }

    /// <summary>Completes once the exchange is idle (see <see cref="SimState.Idle"/>): at once if it is now.</summary>
    /// <remarks>
    /// Trap (a missed wake-up, fixed): requests end and queues drain outside the lock, and <see cref="NotifyIfIdle"/>
    /// skips the lock when nobody waits. So the waiter is counted <em>before</em> idleness is checked: a drain either
    /// happens before the check (the check sees it) or after the count (the drain takes the lock, waits for this
    /// registration and wakes it). Both sides use interlocked operations (full fences), so one of them always sees the other.
    /// </remarks>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            Interlocked.Increment(ref _idleWaiterCount);
            if (IsIdle())
            {
                Interlocked.Decrement(ref _idleWaiterCount);
                return Task.CompletedTask;
            }

            IdleChecked?.Invoke();

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _idleWaiters.Add(waiter);
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return waiter.Task;
        }

        // A canceled wait leaves the list, so that waiters given up on do not pile up.
        var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (_idleWaiters.Remove(waiter))
                {
                    Interlocked.Decrement(ref _idleWaiterCount);
                }
            }

            waiter.TrySetCanceled(cancellationToken);
        });
        _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return waiter.Task;
    }

    /// <summary>Test hook: runs inside <see cref="WhenIdleAsync"/>, under the lock, after idleness was checked (false)
    /// and before the waiter is listed: the window in which a request ending on another thread used to be missed.</summary>
    internal Action? IdleChecked { get; set; }

    /// <summary>A request was received: the exchange is not idle until it is answered (<see cref="EndRequest"/>).</summary>
    public void BeginRequest() => Interlocked.Increment(ref _requestsInFlight);

    public void EndRequest()
    {
        Interlocked.Decrement(ref _requestsInFlight);
        NotifyIfIdle();
    }

    /// <summary>Called when a request ends or a connection's queue drains: wakes the idle waiters if the exchange is idle.
    /// Cheap when nobody waits (one volatile read).</summary>
    public void NotifyIfIdle()
    {
        if (Volatile.Read(ref _idleWaiterCount) == 0)
        {
            return;
        }

        TaskCompletionSource[] woken;
        lock (_gate)
        {
            if (_idleWaiters.Count == 0 || !IsIdle())
            {
                return;
            }

            woken = [.. _idleWaiters];
            _idleWaiters.Clear();
            Interlocked.Add(ref _idleWaiterCount, -woken.Length);
        }

        foreach (var w in woken)
        {
            w.TrySetResult();
        }
    }

    private bool IsIdle() => Interlocked.Read(ref _requestsInFlight) == 0 && _connections.All(c => c.Unsent == 0);
}
