using EventLoop.Clocks;
using EventLoop.Net;
using EventLoop.Queues;
using EventLoop.Timers;

namespace EventLoop;

/// <summary>
/// A single-threaded, completion-based (proactor) event loop after libxev. Operations are submitted with a
/// caller-owned <see cref="Completion"/>; when one finishes, its callback runs on the thread that calls
/// <see cref="Run"/>, and returns <see cref="CallbackAction.Disarm"/> or <see cref="CallbackAction.Rearm"/>.
/// <para>Threading: only <see cref="Post{TState}"/>, <see cref="Stop"/> and <see cref="Notifier.Notify"/> may be
/// called from any thread. Everything else (submitting, canceling, <see cref="Run"/>) belongs to the loop thread, or
/// to any one thread while no <see cref="Run"/> is in progress. I/O finishes on the runtime's I/O threads and
/// reaches the loop through a preallocated multi-producer ring (<see cref="MpscRing{T}"/>, kept over
/// <c>System.Threading.Channels</c>: <c>loop-post</c> measured it faster with 1 producer, even with 4, and it allocates
/// nothing; see <see cref="ChannelQueue{T}"/> for the figures).</para>
/// <para>Latency tip: set <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> in the environment so that socket
/// completions are handed to the loop straight from the runtime's epoll thread rather than after a hop through the
/// thread pool (the handler only enqueues, so running it inline is safe); <c>loop-echo</c> measured 1-connection
/// ping-pong at ~3 k round trips/s without it and ~23 k with it on a loaded 2-core machine.</para>
/// <para>A tick: refresh <see cref="Now"/>; move completions finished on other threads to the ready list; run the
/// callbacks that were ready when the tick began; fire expired timers; if nothing ran and the mode allows, wait (per
/// <see cref="WaitStrategy"/>) no longer than until the nearest timer deadline, then do it again. The loop never
/// sleeps for a fixed time.</para>
/// </summary>
public sealed class Loop : IDisposable
{
    private const int DrainBatch = 1024;
    private const int MaxDrainPerTick = 16 * DrainBatch; // bounds one tick so that a flood cannot starve timers

    private readonly IClock _clock;
    private readonly ICrossThreadQueue<Completion> _queue;
    private readonly Completion[] _batch = new Completion[DrainBatch];
    private readonly TimerHeap _timers = new();
    private readonly ManualResetEventSlim _signal = new(false, 0);
    private readonly long _spinTicks;
    private Completion? _readyHead;
    private Completion? _readyTail;
    private int _active;
    private long _now;
    private long _timerSequence;
    private int _stop;
    private int _sleeping;
    private int _ownerThread;
    private bool _running;

    /// <summary>Creates a loop with the default options (blocking wait, 65,536-slot ring).</summary>
    public Loop()
        : this(new LoopOptions())
    {
    }

    /// <summary>Creates a loop. The creating thread owns it until some thread calls <see cref="Run"/>.</summary>
    public Loop(LoopOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clock = options.Clock;
        _queue = options.Queue == QueueKind.Channel
            ? new ChannelQueue<Completion>()
            : new MpscRing<Completion>(options.RingCapacity);
        WaitStrategy = options.WaitStrategy;
        _spinTicks = options.SpinDuration.Ticks;
        _ownerThread = Environment.CurrentManagedThreadId;
        _now = _clock.GetTicks();
    }

    /// <summary>How the loop waits when idle.</summary>
    public WaitStrategy WaitStrategy { get; }

    /// <summary>
    /// The loop's cached monotonic time, refreshed once per tick (and after each wait). Trap: it does not move while a
    /// callback runs; after long work inside a callback, call <see cref="UpdateNow"/> before arming timers.
    /// </summary>
    public TimeSpan Now => new(_now);

    /// <summary>Completions submitted and not yet dispatched (posts from other threads are not counted until dispatched).</summary>
    public int ActiveCount => _active;

    internal long NowTicks => _now;

    internal bool IsLoopThread => Environment.CurrentManagedThreadId == _ownerThread;

    private bool Alive => _active > 0 || _readyHead is not null || _queue.HasPending;

    /// <summary>Refreshes <see cref="Now"/> from the monotonic clock.</summary>
    public void UpdateNow() => _now = Math.Max(_now, _clock.GetTicks());

    /// <summary>
    /// Runs the loop on the calling thread, which becomes the loop thread, in the given <paramref name="mode"/>.
    /// Returns when the mode is satisfied or after the tick in which <see cref="Stop"/> was seen. A callback's exception
    /// propagates out of Run after that callback's completion was made Dead; everything else stays queued, so Run may
    /// simply be called again. Not re-entrant: calling Run from a callback throws.
    /// </summary>
    public void Run(RunMode mode)
    {
        if (_running)
        {
            throw new InvalidOperationException("Loop.Run is already running (it is not re-entrant and belongs to one thread)");
        }

        _running = true;
        _ownerThread = Environment.CurrentManagedThreadId;
        try
        {
            switch (mode)
            {
                case RunMode.NoWait:
                    Tick(mayWait: false);
                    break;
                case RunMode.Once:
                    while (Tick(mayWait: true) == 0 && Volatile.Read(ref _stop) == 0 && Alive)
                    {
                    }

                    break;
                case RunMode.UntilDone:
                    while (Alive && Volatile.Read(ref _stop) == 0)
                    {
                        Tick(mayWait: true);
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown run mode");
            }
        }
        finally
        {
            _running = false;
        }

        ConsumeStop(); // a Stop seen (or raced) during this Run is spent by it
    }

    /// <summary>
    /// Asks the loop to return from <see cref="Run"/> at the end of its current tick (callbacks already dispatched in
    /// that tick still run; a blocked wait is woken). Safe from any thread. Remembered: if no Run is in progress, the
    /// next Run returns after at most one tick.
    /// </summary>
    public void Stop()
    {
        Volatile.Write(ref _stop, 1);
        Wake();
    }

    /// <summary>
    /// Arms a one-shot timer that fires no earlier than <see cref="Now"/> + <paramref name="delay"/> (negative counts as
    /// zero), and as late as the wait strategy and the machine make it. Timers with equal deadlines fire in submission
    /// order. Trap: the deadline counts from the cached <see cref="Now"/>, not from the instant of this call. Rearm
    /// makes it periodic: the next deadline is the previous one plus <paramref name="delay"/>, skipping whole periods
    /// already missed (no burst of catch-up firings, no drift).
    /// </summary>
    public void Timer<TState>(Completion c, TimeSpan delay, TState state, Callback<TState> callback)
        where TState : class?
    {
        CheckThread();
        c.Arm(this, Operation.Timer, state, callback);
        c.Interval = Math.Max(0, delay.Ticks);
        c.Deadline = _now + c.Interval;
        Submitted(c);
        InsertTimer(c);
    }

    /// <summary>
    /// Cancels an active timer: it will not fire; instead its callback runs on a later tick with
    /// <see cref="CompletionResult.IsCanceled"/> set (and its return value ignored). Returns false, and does nothing,
    /// if <paramref name="c"/> is not an active timer of this loop (e.g. it already fired).
    /// </summary>
    public bool CancelTimer(Completion c)
    {
        CheckThread();
        if (c.Operation != Operation.Timer || c.State != CompletionState.Active || !_timers.Remove(c))
        {
            return false;
        }

        c.ResultCanceled = true;
        EnqueueLocal(c);
        return true;
    }

    /// <summary>
    /// Moves a timer's deadline to <see cref="Now"/> + <paramref name="delay"/> (it fires no earlier than that, and
    /// after timers already due at that instant). If the timer is not active (it fired or was never armed) it is armed
    /// again with the callback and state it last had. Rearm periods become <paramref name="delay"/>.
    /// </summary>
    public void ResetTimer(Completion c, TimeSpan delay)
    {
        CheckThread();
        if (c.Operation != Operation.Timer || c.Callback is null || !ReferenceEquals(c.Loop, this))
        {
            throw new InvalidOperationException("ResetTimer needs a completion last used as a timer on this loop");
        }

        if (c.State == CompletionState.Active && !_timers.Remove(c))
        {
            throw new InvalidOperationException("the timer was canceled and its callback has not run yet");
        }

        if (c.State != CompletionState.Active)
        {
            c.ClearResult();
            Submitted(c);
        }

        c.Interval = Math.Max(0, delay.Ticks);
        c.Deadline = _now + c.Interval;
        InsertTimer(c);
    }

    /// <summary>
    /// Queues <paramref name="callback"/> to run on the loop thread. Safe from any thread (from a foreign thread it
    /// goes through the cross-thread ring, and waits for room if the ring is full). Rearm posts it again (to the next
    /// tick). Trap: a post from another thread does not keep <see cref="RunMode.UntilDone"/> alive before it has been
    /// enqueued; hold a <see cref="Notifier"/> wait (or any active completion) if the loop must wait for it.
    /// </summary>
    public void Post<TState>(Completion c, TState state, Callback<TState> callback)
        where TState : class?
    {
        c.Arm(this, Operation.Post, state, callback);
        c.State = CompletionState.Active;
        Complete(c);
    }

    /// <summary>
    /// Runs <paramref name="work"/>(<paramref name="state"/>) on the .NET thread pool, then <paramref name="callback"/>
    /// on the loop thread. The work reports its result by writing into <paramref name="state"/> (visible to the callback:
    /// the hand-over through the queue orders it); if it throws, the callback sees it in
    /// <see cref="CompletionResult.Exception"/>. Rearm runs the work again. For blocking calls (files, DNS, a database),
    /// never for loop state: the work runs on another thread.
    /// </summary>
    public void Offload<TState>(Completion c, TState state, Action<TState> work, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(work);
        CheckThread();
        c.Arm(this, Operation.Offload, state, callback);
        c.Work = work;
        c.WorkInvoke = ThunkOf<TState>.Work;
        Submitted(c);
        QueueOffload(c);
    }

    /// <summary>Disposes the wake-up signal. Sockets and WebSockets belong to their owners.</summary>
    public void Dispose() => _signal.Dispose();

    internal void CheckThread()
    {
        if (_running && !IsLoopThread)
        {
            throw new InvalidOperationException("this loop operation must be called on the loop thread");
        }
    }

    /// <summary>Marks a freshly armed completion active and counts it.</summary>
    internal void Submitted(Completion c)
    {
        c.State = CompletionState.Active;
        c.Counted = true;
        _active++;
    }

    /// <summary>
    /// Hands a finished completion to the loop: straight onto the ready list when called on the loop thread, through the
    /// cross-thread queue otherwise (then wakes the loop if it sleeps). Never runs the callback inline.
    /// </summary>
    internal void Complete(Completion c)
    {
        if (IsLoopThread)
        {
            EnqueueLocal(c);
        }
        else
        {
            _queue.Enqueue(c);
            Wake();
        }
    }

    internal void EnqueueLocal(Completion c)
    {
        c.Next = null;
        if (_readyTail is null)
        {
            _readyHead = c;
        }
        else
        {
            _readyTail.Next = c;
        }

        _readyTail = c;
    }

    /// <summary>Runs a completion's callback and applies its action. Loop thread only.</summary>
    internal void Dispatch(Completion c)
    {
        if (c.Operation == Operation.NotifySignal)
        {
            ((Notifier)c.Owner!).OnSignal(this);
            return;
        }

        var r = c.TakeResult();
        if (c.Counted)
        {
            c.Counted = false;
            _active--;
        }

        c.State = CompletionState.Dead;
        var action = c.Invoke!(c.Callback!, c.UserState, this, c, in r);
        if (action == CallbackAction.Rearm && !r.IsCanceled)
        {
            Rearm(c);
        }
    }

    private void Rearm(Completion c)
    {
        if (c.State == CompletionState.Active)
        {
            throw new InvalidOperationException("a callback returned Rearm for a completion it had already re-submitted");
        }

        c.ClearResult();
        Submitted(c);
        switch (c.Operation)
        {
            case Operation.Timer:
                long next = c.Deadline + c.Interval;
                if (next <= _now)
                {
                    long missed = c.Interval == 0 ? 0 : ((_now - next) / c.Interval) + 1;
                    next = c.Interval == 0 ? _now : next + (missed * c.Interval);
                }

                c.Deadline = next;
                InsertTimer(c);
                break;
            case Operation.Post:
                EnqueueLocal(c);
                break;
            case Operation.Offload:
                QueueOffload(c);
                break;
            case Operation.Notify:
                ((Notifier)c.Owner!).Register(c);
                break;
            case Operation.WebSocketConnect:
            case Operation.WebSocketReceive:
            case Operation.WebSocketSend:
            case Operation.WebSocketClose:
                WebSocketConnection.Start(this, c);
                break;
            default:
                ((Tcp)c.Owner!).Start(this, c);
                break;
        }
    }

    private void InsertTimer(Completion c)
    {
        c.TimerSequence = _timerSequence++;
        _timers.Push(c);
    }

    private void QueueOffload(Completion c)
    {
        c.WorkItem ??= new OffloadWorkItem(c);
        ThreadPool.UnsafeQueueUserWorkItem(c.WorkItem, preferLocal: false);
    }

    private void ConsumeStop() => Interlocked.Exchange(ref _stop, 0);

    /// <summary>One tick; returns the number of callbacks run.</summary>
    private int Tick(bool mayWait)
    {
        UpdateNow();
        int n = Process();
        if (n == 0 && mayWait && Volatile.Read(ref _stop) == 0 && Alive)
        {
            long timeout = _readyHead is not null ? 0 : _timers.Count > 0 ? Math.Max(0, _timers.Peek().Deadline - _now) : -1;
            if (timeout != 0)
            {
                Wait(timeout);
            }

            UpdateNow();
            n = Process();
        }

        return n;
    }

    private int Process()
    {
        DrainForeign();
        return DispatchReady() + FireTimers();
    }

    private void DrainForeign()
    {
        int total = 0;
        while (total < MaxDrainPerTick)
        {
            int n = _queue.DrainTo(_batch);
            for (int i = 0; i < n; i++)
            {
                EnqueueLocal(_batch[i]);
                _batch[i] = null!;
            }

            total += n;
            if (n < _batch.Length)
            {
                break;
            }
        }
    }

    /// <summary>Runs the completions that were ready when it started; those made ready meanwhile wait for the next tick.</summary>
    private int DispatchReady()
    {
        var head = _readyHead;
        if (head is null)
        {
            return 0;
        }

        var tail = _readyTail!;
        _readyHead = _readyTail = null;
        int n = 0;
        try
        {
            while (head is not null)
            {
                var c = head;
                head = c == tail ? null : c.Next;
                c.Next = null;
                n++;
                Dispatch(c);
            }
        }
        finally
        {
            if (head is not null)
            {
                // A callback threw: put the rest back in front, in order, so that nothing is lost.
                tail.Next = _readyHead;
                if (_readyHead is null)
                {
                    _readyTail = tail;
                }

                _readyHead = head;
            }
        }

        return n;
    }

    private int FireTimers()
    {
        int n = 0;
        long limit = _timerSequence; // timers armed by these callbacks wait for the next tick
        while (_timers.Count > 0)
        {
            var t = _timers.Peek();
            if (t.Deadline > _now || t.TimerSequence >= limit)
            {
                break;
            }

            _timers.Pop();
            n++;
            Dispatch(t);
        }

        return n;
    }

    private void Wait(long timeoutTicks)
    {
        switch (WaitStrategy)
        {
            case WaitStrategy.BusySpin:
                Spin(timeoutTicks, -1);
                break;
            case WaitStrategy.SpinThenBlock:
                if (!Spin(timeoutTicks, _spinTicks))
                {
                    Block(timeoutTicks < 0 ? -1 : Math.Max(0, timeoutTicks - _spinTicks));
                }

                break;
            default:
                Block(timeoutTicks);
                break;
        }
    }

    /// <summary>Spins until work arrives, the deadline passes, or <paramref name="budgetTicks"/> (-1: forever) elapse; true unless the budget ran out.</summary>
    private bool Spin(long timeoutTicks, long budgetTicks)
    {
        long start = _clock.GetTicks();
        long deadline = timeoutTicks < 0 ? long.MaxValue : start + timeoutTicks;
        long giveUp = budgetTicks < 0 ? long.MaxValue : start + budgetTicks;
        while (true)
        {
            if (_queue.HasPending || Volatile.Read(ref _stop) != 0)
            {
                return true;
            }

            long now = _clock.GetTicks();
            if (now >= deadline)
            {
                return true;
            }

            if (now >= giveUp)
            {
                return false;
            }

            Thread.SpinWait(20);
        }
    }

    /// <summary>
    /// Sleeps on the wake-up signal. No lost wake-up: the sleeping flag is raised (full fence) before the queue and stop
    /// flag are re-checked, and a producer publishes, fences, then reads the flag (<see cref="Wake"/>); so either this
    /// re-check sees the item or the producer sees the flag and sets the signal. The signal is reset before the flag
    /// is raised, so a stale set can only cause a harmless spurious wake-up.
    /// </summary>
    private void Block(long timeoutTicks)
    {
        _signal.Reset();
        Interlocked.Exchange(ref _sleeping, 1);
        if (!_queue.HasPending && Volatile.Read(ref _stop) == 0)
        {
            int ms = timeoutTicks < 0 ? -1 : (int)Math.Min(int.MaxValue, (timeoutTicks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);
            _signal.Wait(ms);
        }

        Volatile.Write(ref _sleeping, 0);
    }

    private void Wake()
    {
        Interlocked.MemoryBarrier(); // order the publish before reading the flag (store-load)
        if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0)
        {
            _signal.Set();
        }
    }
}
