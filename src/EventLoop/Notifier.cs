namespace EventLoop;

/// <summary>
/// An async notifier (libxev's <c>Async</c>): any thread calls <see cref="Notify"/>; the completion waiting on it
/// runs its callback on the loop thread. Notifications coalesce: many Notify calls before the loop gets to them
/// produce one callback. Guarantee: after every Notify, at least one callback starts (with Rearm, or a later
/// <see cref="Wait{TState}"/>) after that Notify, and sees everything the notifying thread wrote before it.
/// A notification with no waiter is remembered for the next Wait. At most one waiter at a time; an active wait keeps
/// <see cref="RunMode.UntilDone"/> running.
/// </summary>
public sealed class Notifier
{
    private readonly Loop _loop;
    private readonly Completion _signal;
    private int _pending;
    private Completion? _waiter;
    private bool _fired;

    /// <summary>Creates a notifier bound to <paramref name="loop"/>.</summary>
    public Notifier(Loop loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        _loop = loop;
        _signal = Completion.CreateInternal(Operation.NotifySignal, this);
    }

    /// <summary>Wakes the waiter. Safe from any thread, lock-free; allocation-free.</summary>
    public void Notify()
    {
        // Only the 0 -> 1 transition queues the signal, so it is in the queue at most once.
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _loop.Complete(_signal);
        }
    }

    /// <summary>Waits for the next notification (or takes one already remembered). Loop thread. Rearm waits again.</summary>
    public void Wait<TState>(Completion c, TState state, Callback<TState> callback)
        where TState : class?
    {
        _loop.CheckThread();
        if (_waiter is not null)
        {
            throw new InvalidOperationException("the notifier already has a waiter");
        }

        ArgumentNullException.ThrowIfNull(c);
        c.Arm(_loop, Operation.Notify, state, callback);
        c.Owner = this;
        _loop.Submitted(c);
        Register(c);
    }

    internal void Register(Completion c)
    {
        if (_fired)
        {
            _fired = false;
            _loop.EnqueueLocal(c);
        }
        else
        {
            _waiter = c;
        }
    }

    /// <summary>Loop.Cancel of the waiting completion: it stops waiting and its callback runs canceled.</summary>
    internal void CancelWait(Completion c)
    {
        if (ReferenceEquals(_waiter, c))
        {
            _waiter = null;
            _loop.EnqueueLocal(c);
        }

        // Otherwise a remembered notification already put it on the ready list.
    }

    /// <summary>The signal reached the loop thread; true if it ran the waiter's callback (Once counts only those).</summary>
    internal bool OnSignal(Loop loop, long handOverStamp)
    {
        // Full fence: a Notify that saw 1 happened before this reset, so the callback below sees its writes.
        Interlocked.Exchange(ref _pending, 0);
        var waiter = _waiter;
        if (waiter is null)
        {
            _fired = true;
            return false;
        }

        _waiter = null;
        waiter.HandOverStamp = handOverStamp;
        return loop.Dispatch(waiter);
    }
}
