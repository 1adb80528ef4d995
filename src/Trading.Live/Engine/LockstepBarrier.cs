namespace Trading.Live.Engine;

/// <summary>
/// The handshake between a lockstep pump (another thread) and the engine's loop thread (<c>--lockstep</c>). The pump
/// steps the simulator, awaits the simulator's own idle (every frame the step caused is on a socket), then awaits
/// <see cref="WhenHandledAsync"/> with the total number of market events it has stepped so far. The engine completes it
/// on the loop thread, never blocking there, once it is idle: it has handled that many market events (a trade print is
/// one <c>@trade</c> frame, a kline close one closed kline frame), every WebSocket API request is answered, and a
/// <c>ping</c> sent after the last answer has come back — the API connection is FIFO, so every execution report the
/// simulator wrote before going idle has been applied by then, and a report on one socket can never overtake a candle
/// on the other. Traps: one waiter at a time (the pump's loop); a reply a fault holds back keeps the engine waiting
/// until the request times out (lockstep with held replies is slow, not wrong); a dropped market connection loses
/// events and the count is never reached, so the run ends with the venue closing instead.
/// </summary>
public sealed class LockstepBarrier
{
    private readonly Lock _gate = new();
    private Action? _wake;
    private long _target = -1;
    private TaskCompletionSource? _waiter;

    /// <summary>
    /// Completes once the engine has handled <paramref name="marketEvents"/> market events since the replay started and
    /// has nothing in flight. Safe from any thread; call again only after the previous task completed.
    /// </summary>
    public Task WhenHandledAsync(long marketEvents, CancellationToken cancellationToken = default)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Action? wake;
        lock (_gate)
        {
            if (_waiter is not null)
            {
                throw new InvalidOperationException("a lockstep barrier has one waiter at a time");
            }

            _waiter = waiter;
            _target = marketEvents;
            wake = _wake;
        }

        wake?.Invoke();
        return cancellationToken.CanBeCanceled ? waiter.Task.WaitAsync(cancellationToken) : waiter.Task;
    }

    /// <summary>The engine registers how to wake its loop (a <see cref="EventLoop.Notifier"/>); once.</summary>
    internal void Attach(Action wake)
    {
        bool pending;
        lock (_gate)
        {
            _wake = wake;
            pending = _waiter is not null;
        }

        if (pending)
        {
            wake();
        }
    }

    /// <summary>The event count the current waiter needs, or -1 when nobody waits. Loop thread.</summary>
    internal long Target
    {
        get
        {
            lock (_gate)
            {
                return _waiter is null ? -1 : _target;
            }
        }
    }

    /// <summary>Releases the current waiter (its continuation runs elsewhere, never on the loop thread).</summary>
    internal void Release()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            _target = -1;
        }

        waiter?.TrySetResult();
    }

    /// <summary>The run ended: a waiting pump must not wait forever.</summary>
    internal void Abandon()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            _wake = null;
        }

        waiter?.TrySetCanceled();
    }
}
