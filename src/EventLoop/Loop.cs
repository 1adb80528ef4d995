using EventLoop.Backends;
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
/// to any one thread while no <see cref="Run"/> is in progress. The loop thread is exactly the thread inside
/// <see cref="Run"/>, and there is none while no Run is in progress: a completion finishing on some thread then goes
/// through the ring, even on a thread that ran Run before. TCP I/O runs on the loop's backend
/// (<see cref="LoopOptions.Backend"/>): io_uring or epoll driven by the loop thread itself, or the runtime's engine,
/// whose I/O (like all WebSocket I/O) finishes on the runtime's I/O threads and reaches the loop through a
/// preallocated multi-producer ring (<see cref="MpscRing{T}"/>, kept over
/// <c>System.Threading.Channels</c>: <c>loop-post</c> measured it faster with 1 producer, even with 4, and it allocates
/// nothing; see <see cref="ChannelQueue{T}"/> for the figures).</para>
/// <para>Latency tip (runtime backend, and WebSockets on every backend): set <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> in the environment so that socket
/// completions are handed to the loop straight from the runtime's epoll thread rather than after a hop through the
/// thread pool (the handler only enqueues, so running it inline is safe); <c>loop-echo</c> measured 1-connection
/// ping-pong at ~3 k round trips/s without it and ~23 k with it on a loaded 2-core machine.</para>
/// <para>A tick: refresh <see cref="Now"/>; reap the backend's finished I/O and move completions finished on other threads to the ready list; run the
/// callbacks that were ready when the tick began; fire expired timers; if nothing ran and the mode allows, wait (per
/// <see cref="WaitStrategy"/>) no longer than until the nearest timer deadline, then do it again. The loop never
/// sleeps for a fixed time.</para>
/// </summary>
public sealed partial class Loop : IDisposable
{
    private const int DrainBatch = 1024;
    private const int MaxDrainPerTick = 16 * DrainBatch; // bounds one tick so that a flood cannot starve timers

    private readonly IClock _clock;
    private readonly ICrossThreadQueue<Completion> _queue;
    private readonly Completion[] _batch = new Completion[DrainBatch];
    private readonly TimerHeap _timers = new();
    private readonly Backend _backend;
    private readonly long _spinTicks;
    private Completion? _readyHead;
    private Completion? _readyTail;
    private int _active;
    private long _now;
    private bool _nowStale; // a tick began and nothing read the clock yet: CurrentTicks reads it
    private long _timerSequence;
    private int _stop;
    private int _sleeping;
    private int _loopThread; // managed id of the thread inside Run; 0 while no Run is in progress
    private Completion? _activeHead; // counted completions, so that Shutdown can cancel each
    private readonly Action? _onRunEnding;
    private readonly int _sampleMask;
    private int _callbackSample;

    /// <summary>Creates a loop with the default options (blocking wait, 65,536-slot ring).</summary>
    public Loop()
        : this(new LoopOptions())
    {
    }

    /// <summary>Creates a loop. Until some thread calls <see cref="Run"/>, any one thread may submit to it.</summary>
    public Loop(LoopOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clock = options.Clock;
        _queue = options.Queue == QueueKind.Channel
            ? new ChannelQueue<Completion>()
            : new MpscRing<Completion>(options.RingCapacity);
        WaitStrategy = options.WaitStrategy;
        _spinTicks = options.SpinDuration.Ticks;
        _onRunEnding = options.OnRunEnding;
        if (options.MetricsSampleInterval < 1 || (options.MetricsSampleInterval & (options.MetricsSampleInterval - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MetricsSampleInterval, "MetricsSampleInterval must be a power of two >= 1");
        }

        _sampleMask = options.MetricsSampleInterval - 1;
        _now = _clock.GetTicks();
        _backend = Backends.Backend.Create(options, out var fallbackReason);
        BackendFallbackReason = fallbackReason;
    }

    /// <summary>
    /// The backend this loop runs on (never <see cref="LoopBackend.Auto"/>: what Auto picked). TCP operations run on it;
    /// WebSocket operations always run on the runtime's engine, and reach the loop through the ring.
    /// </summary>
    public LoopBackend Backend => _backend.Kind;

    /// <summary>Why <see cref="LoopBackend.Auto"/> did not get io_uring (the kernel's refusal), or null if it did or was not asked to choose.</summary>
    public string? BackendFallbackReason { get; }

    internal Backend IoBackend => _backend;

    /// <summary>True while some thread is inside <see cref="Run"/>.</summary>
    internal bool IsRunning => Volatile.Read(ref _loopThread) != 0;

    /// <summary>How the loop waits when idle.</summary>
    public WaitStrategy WaitStrategy { get; }

    /// <summary>
    /// The loop's cached monotonic time, refreshed once per tick (and after each wait): read from the clock at its first
    /// use in the tick (by a callback, a timer, a deadline), so a tick that needs no time reads no clock (a clock read
    /// costs ~20-50 ns, as much as the rest of a busy tick). Trap: it does not move while a callback runs; after long
    /// work inside a callback, call <see cref="UpdateNow"/> before arming timers. Loop thread.
    /// </summary>
    public TimeSpan Now => new(CurrentTicks());

    /// <summary>Completions submitted and not yet dispatched (posts from other threads are not counted until dispatched).</summary>
    public int ActiveCount => _active;

    internal long NowTicks => CurrentTicks();

    /// <summary>True on the thread inside <see cref="Run"/>; false everywhere while no Run is in progress.</summary>
    internal bool IsLoopThread => Volatile.Read(ref _loopThread) == Environment.CurrentManagedThreadId;

    /// <summary>Test hook: a <see cref="Stop"/> is remembered for the next <see cref="Run"/>.</summary>
    internal bool StopPending => Volatile.Read(ref _stop) != 0;

    private bool Alive => _active > 0 || _readyHead is not null || _queue.HasPending;

    /// <summary>Refreshes <see cref="Now"/> from the monotonic clock.</summary>
    public void UpdateNow()
    {
        _nowStale = false;
        _now = Math.Max(_now, _clock.GetTicks());
    }

    /// <summary>The tick's time, read from the clock on first use after <see cref="Tick"/> marked it stale.</summary>
    private long CurrentTicks()
    {
        if (_nowStale)
        {
            UpdateNow();
        }

        return _now;
    }

    /// <summary>
    /// Runs the loop on the calling thread, which is the loop thread until Run returns, in the given <paramref name="mode"/>.
    /// Returns when the mode is satisfied or after the tick in which <see cref="Stop"/> was seen. A callback's exception
    /// propagates out of Run after that callback's completion was made Dead; everything else stays queued, so Run may
    /// simply be called again. Not re-entrant, and only one thread at a time: calling Run from a callback or from a
    /// second thread throws.
    /// </summary>
    public void Run(RunMode mode)
    {
        if (mode is not (RunMode.NoWait or RunMode.Once or RunMode.UntilDone))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown run mode");
        }

        if (Interlocked.CompareExchange(ref _loopThread, Environment.CurrentManagedThreadId, 0) != 0)
        {
            throw new InvalidOperationException("Loop.Run is already running (it is not re-entrant and belongs to one thread)");
        }

        // The loop thread is its own context: with the caller's SynchronizationContext (a UI's, a test runner's) in
        // place, the runtime refuses to run task continuations inline in callbacks and queues them to the pool.
        var context = SynchronizationContext.Current;
        if (context is not null)
        {
            SynchronizationContext.SetSynchronizationContext(null);
        }

        try
        {
            switch (mode)
            {
                case RunMode.NoWait:
                    Tick(mayWait: false);
                    TakeStop();
                    break;
                case RunMode.Once:
                    // Only user callbacks count (a notifier's internal signal does not): Once returns after one ran.
                    while (true)
                    {
                        int n = Tick(mayWait: true);
                        if (TakeStop() || n > 0 || !Alive)
                        {
                            break;
                        }
                    }

                    break;
                default:
                    while (!TakeStop() && Alive)
                    {
                        Tick(mayWait: true);
                    }

                    break;
            }

            _onRunEnding?.Invoke();
        }
        finally
        {
            _backend.Flush(); // nothing queued stays unsubmitted while no Run is in progress
            if (context is not null)
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }

            Volatile.Write(ref _loopThread, 0);
        }
    }

    /// <summary>
    /// Asks the loop to return from <see cref="Run"/> at the end of its current tick (callbacks already dispatched in
    /// that tick still run; a blocked wait is woken). Safe from any thread. Remembered until a Run sees it: if no Run is
    /// in progress, or the Run in progress had already decided to return when the Stop came, the next Run returns after
    /// at most one tick. Each Stop is spent by exactly one Run (several before a Run count as one).
    /// </summary>
    public void Stop()
    {
        Volatile.Write(ref _stop, 1);
        Wake();
    }

    /// <summary>
    /// Arms a one-shot timer that fires no earlier than <see cref="Now"/> + <paramref name="delay"/> (negative counts as
    /// zero), and as late as the wait strategy and the machine make it. <see cref="TimeSpan.MaxValue"/>,
    /// <see cref="Timeout.InfiniteTimeSpan"/> and any delay past the end of the clock never fire (the timer stays active
    /// until canceled). Timers with equal deadlines fire in submission order. Trap: the deadline counts from the cached
    /// <see cref="Now"/>, not from the instant of this call. Rearm makes it periodic with the phase of the first
    /// deadline: the next deadline is the previous deadline (never the callback's time) plus <paramref name="delay"/>,
    /// skipping whole periods already missed (no burst of catch-up firings, no drift).
    /// </summary>
    public void Timer<TState>(Completion c, TimeSpan delay, TState state, Callback<TState> callback)
        where TState : class?
    {
        CheckThread();
        c.Arm(this, Operation.Timer, state, callback);
        c.Interval = IntervalTicks(delay);
        c.Deadline = DeadlineAfter(c.Interval);
        Submitted(c);
        InsertTimer(c);
    }

    /// <summary>
    /// Cancels an active timer: it will not fire; instead its callback runs on a later tick with
    /// <see cref="CompletionResult.IsCanceled"/> set (and its return value ignored). Returns false, and does nothing,
    /// if <paramref name="c"/> is not an active timer of this loop (e.g. it already fired). <see cref="Cancel"/> does the
    /// same for every kind of operation.
    /// </summary>
    public bool CancelTimer(Completion c) => c.Operation == Operation.Timer && Cancel(c);

    /// <summary>
    /// Cancels any active operation of this loop: timer, post, notifier wait, offload, await, TCP accept / connect /
    /// receive / send, WebSocket connect / receive / send / close. Returns true if <paramref name="c"/> was active here
    /// and not already being canceled: its callback then runs exactly once, on a later tick, with
    /// <see cref="CompletionResult.IsCanceled"/> set and its return value ignored. Returns false, changing nothing, if
    /// its callback has already started (or ran, or the completion was never submitted): no callback follows a false.
    /// <para>When the callback runs, the operation has stopped using the completion and its buffer, except for work that
    /// cannot be interrupted: an offload's callback waits for the work to return, an awaited task is left running
    /// (its outcome dropped). A canceled I/O operation may still have done its work (a send may have gone out, received
    /// bytes are dropped, an accepted socket or connected WebSocket is disposed). Canceling a WebSocket receive, send or
    /// close aborts the connection (the runtime's rule); canceling a TCP operation leaves the socket usable. Loop thread.</para>
    /// </summary>
    public bool Cancel(Completion c)
    {
        ArgumentNullException.ThrowIfNull(c);
        CheckThread();
        if (!ReferenceEquals(c.Loop, this) || c.State != CompletionState.Active || c.CancelRequested)
        {
            return false;
        }

        CancelCore(c, timedOut: false);
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

        if (c.State == CompletionState.Active && (c.CancelRequested || !_timers.Remove(c)))
        {
            throw new InvalidOperationException("the timer was canceled and its callback has not run yet");
        }

        if (c.State != CompletionState.Active)
        {
            c.ClearResult();
            Submitted(c);
        }

        c.Interval = IntervalTicks(delay);
        c.Deadline = DeadlineAfter(c.Interval);
        InsertTimer(c);
    }

    /// <summary>
    /// Queues <paramref name="callback"/> to run on the loop thread. Safe from any thread (from a foreign thread it
    /// goes through the cross-thread ring, and waits for room if the ring is full). Rearm posts it again (to the next
    /// tick). Trap: a post from another thread does not keep <see cref="RunMode.UntilDone"/> alive before it has been
    /// enqueued; hold a <see cref="Notifier"/> wait (or any active completion) if the loop must wait for it. Trap: while
    /// no Run is in progress every post goes through the ring, whose producers wait for room when it is full.
    /// </summary>
    public void Post<TState>(Completion c, TState state, Callback<TState> callback)
        where TState : class?
    {
        c.Arm(this, Operation.Post, state, callback);
        c.State = CompletionState.Active;
        Complete(c);
    }

    /// <summary>Disposes the backend (the wake-up signal; the io_uring ring or epoll instance). Sockets and WebSockets belong to their owners.</summary>
    public void Dispose() => _backend.Dispose();

    /// <summary>Throws unless called on the loop thread, or while no <see cref="Run"/> is in progress.</summary>
    internal void CheckThread()
    {
        int t = Volatile.Read(ref _loopThread);
        if (t != 0 && t != Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException("this loop operation must be called on the loop thread");
        }
    }

    /// <summary>Marks a freshly armed completion active and counts it (and lists it, for <see cref="Shutdown"/>).</summary>
    internal void Submitted(Completion c)
    {
        c.State = CompletionState.Active;
        c.Counted = true;
        _active++;
        c.ActivePrev = null;
        c.ActiveNext = _activeHead;
        if (_activeHead is not null)
        {
            _activeHead.ActivePrev = c;
        }

        _activeHead = c;
    }

    /// <summary>Undoes <see cref="Submitted"/>: the completion is about to be dispatched.</summary>
    private void Uncount(Completion c)
    {
        c.Counted = false;
        _active--;
        var prev = c.ActivePrev;
        var next = c.ActiveNext;
        if (prev is null)
        {
            _activeHead = next;
        }
        else
        {
            prev.ActiveNext = next;
        }

        if (next is not null)
        {
            next.ActivePrev = prev;
        }

        c.ActivePrev = c.ActiveNext = null;
    }

    /// <summary>
    /// Validates a per-operation timeout and converts it for <see cref="Completion.TimeoutTicks"/> (0: none, for
    /// <see cref="Timeout.InfiniteTimeSpan"/>). Call before arming, so a bad value changes nothing. The deadline is a
    /// loop timer (the completion's slot in the timer heap is free: only timers use it otherwise); when it passes first,
    /// the operation is canceled and reports <see cref="CompletionResult.IsTimedOut"/>. Rearm applies it again.
    /// </summary>
    internal static long TimeoutTicksOf(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return 0;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        return Math.Max(1, timeout.Ticks); // 0 is "none"; a zero timeout expires on the next tick
    }

    /// <summary>Starts the deadline recorded by <see cref="SetTimeout"/>, if any. Call after <see cref="Submitted"/>.</summary>
    internal void StartDeadline(Completion c)
    {
        if (c.TimeoutTicks > 0)
        {
            c.Deadline = DeadlineAfter(c.TimeoutTicks);
            InsertTimer(c);
        }
    }

    /// <summary>Asks an active operation to end as canceled (or timed out); its completion reaches the ready list once it stopped.</summary>
    internal void CancelCore(Completion c, bool timedOut)
    {
        c.CancelRequested = true;
        c.CancelIsTimeout = timedOut;
        if (c.HeapIndex >= 0)
        {
            _timers.Remove(c);
        }

        switch (c.Operation)
        {
            case Operation.Timer:
                EnqueueLocal(c); // it was in the heap: nothing else holds it
                break;
            case Operation.Notify:
                ((Notifier)c.Owner!).CancelWait(c);
                break;
            case Operation.Await:
                if (c.AwaitOp!.Detach())
                {
                    c.AwaitOp = null; // a late continuation of the old task must never touch a reuse of c
                    EnqueueLocal(c);
                }

                break;
            case Operation.Accept:
            case Operation.Connect:
            case Operation.Receive:
            case Operation.Send:
                if (!_backend.Cancel(c))
                {
                    c.TcpOp?.Cancel();
                }

                break;
            case Operation.WebSocketConnect:
            case Operation.WebSocketReceive:
            case Operation.WebSocketSend:
            case Operation.WebSocketClose:
                c.WebSocketOp?.Cancel();
                break;
            default:
                // Post, offload, shutdown, close: already in the ready list or the ring, or (offload) on its way back
                // when the work returns; Dispatch reports it canceled.
                break;
        }
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
            if (LoopMetrics.DispatchLag.Enabled && (++c.LagSample & _sampleMask) == 0)
            {
                c.HandOverStamp = System.Diagnostics.Stopwatch.GetTimestamp();
            }

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

    /// <summary>Runs a completion's callback and applies its action; false if no user callback ran (a notifier's signal with no waiter). Loop thread only.</summary>
    internal bool Dispatch(Completion c)
    {
        if (c.Operation == Operation.NotifySignal)
        {
            long stamp = c.HandOverStamp; // the waiter's lag is the signal's
            c.HandOverStamp = 0;
            return ((Notifier)c.Owner!).OnSignal(this, stamp);
        }

        if (c.HeapIndex >= 0)
        {
            _timers.Remove(c); // the operation finished before its deadline
        }

        if (_shuttingDown && !c.Internal)
        {
            c.CancelRequested = true; // during Shutdown every user callback reports canceled
        }

        var r = c.TakeResult();
        if (r.Value is WebSocketConnection or Tcp && !r.IsCanceled)
        {
            Track(r.Value);
        }

        if (c.Counted)
        {
            Uncount(c);
        }

        c.State = CompletionState.Dead;
        CallbackAction action;
        if (c.HandOverStamp == 0 && (!LoopMetrics.CallbackDuration.Enabled || (++_callbackSample & _sampleMask) != 0))
        {
            action = c.Invoke!(c.Callback!, c.UserState, this, c, in r);
        }
        else
        {
            action = InvokeMeasured(c, in r);
        }

        if (action == CallbackAction.Rearm && !r.IsCanceled && !r.IsTimedOut)
        {
            Rearm(c);
        }

        return true;
    }

    /// <summary>The callback with the metrics hooks: dispatch lag (if the hand-over was stamped) and callback time.</summary>
    private CallbackAction InvokeMeasured(Completion c, in CompletionResult r)
    {
        if (c.HandOverStamp != 0)
        {
            LoopMetrics.DispatchLag.Record(LoopMetrics.MicrosecondsSince(c.HandOverStamp));
            c.HandOverStamp = 0;
        }

        if (!LoopMetrics.CallbackDuration.Enabled || (_callbackSample & _sampleMask) != 0)
        {
            return c.Invoke!(c.Callback!, c.UserState, this, c, in r);
        }

        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return c.Invoke!(c.Callback!, c.UserState, this, c, in r);
        }
        finally
        {
            LoopMetrics.CallbackDuration.Record(LoopMetrics.MicrosecondsSince(t0));
        }
    }

    private void Rearm(Completion c)
    {
        if (c.State == CompletionState.Active)
        {
            throw new InvalidOperationException("a callback returned Rearm for a completion it had already re-submitted");
        }

        if (c.Operation == Operation.Await)
        {
            throw new InvalidOperationException("an awaited task cannot run again: return Disarm and await a new one");
        }

        c.ClearResult();
        Submitted(c);
        switch (c.Operation)
        {
            case Operation.Timer:
                c.Deadline = NextPeriod(c.Deadline, c.Interval, CurrentTicks());
                InsertTimer(c);
                return;
            case Operation.Post:
                EnqueueLocal(c);
                return;
            case Operation.Offload:
                QueueOffload(c);
                return;
            case Operation.Notify:
                ((Notifier)c.Owner!).Register(c);
                return;
            case Operation.WebSocketConnect:
            case Operation.WebSocketReceive:
            case Operation.WebSocketSend:
            case Operation.WebSocketClose:
                StartDeadline(c);
                WebSocketConnection.Start(this, c);
                return;
            default:
                StartDeadline(c);
                ((Tcp)c.Owner!).Start(this, c);
                return;
        }
    }

    /// <summary>
    /// The deadline after <paramref name="deadline"/> for a period of <paramref name="interval"/>: keeps the phase of
    /// the first deadline and skips periods already over; <see cref="long.MaxValue"/> (never) stays never.
    /// </summary>
    internal static long NextPeriod(long deadline, long interval, long now)
    {
        if (deadline == long.MaxValue || interval > long.MaxValue - deadline)
        {
            return long.MaxValue;
        }

        long next = deadline + interval;
        if (next < now)
        {
            // Periods whose deadline is already past are skipped; one due exactly now still fires (on the next tick).
            next = interval == 0 ? now : next + (((now - next + interval - 1) / interval) * interval);
        }

        return next;
    }

    /// <summary>A timer's period in ticks: negative is zero, infinite (and MaxValue) is <see cref="long.MaxValue"/>.</summary>
    private static long IntervalTicks(TimeSpan delay)
        => delay == Timeout.InfiniteTimeSpan ? long.MaxValue : Math.Max(0, delay.Ticks);

    /// <summary>Now + <paramref name="ticks"/>, saturating at <see cref="long.MaxValue"/> (never).</summary>
    private long DeadlineAfter(long ticks)
    {
        long now = CurrentTicks();
        return ticks >= long.MaxValue - now ? long.MaxValue : now + ticks;
    }

    private void InsertTimer(Completion c)
    {
        c.TimerSequence = _timerSequence++;
        _timers.Push(c);
    }

    /// <summary>Spends a pending Stop; true if there was one.</summary>
    private bool TakeStop() => Volatile.Read(ref _stop) != 0 && Interlocked.Exchange(ref _stop, 0) != 0;

    /// <summary>One tick; returns the number of callbacks run.</summary>
    private int Tick(bool mayWait)
    {
        _nowStale = true;
        int n = Process();
        if (n == 0 && mayWait && Volatile.Read(ref _stop) == 0 && Alive)
        {
            long timeout = _readyHead is not null ? 0 : _timers.Count > 0 && _timers.Peek().Deadline != long.MaxValue ? Math.Max(0, _timers.Peek().Deadline - CurrentTicks()) : -1;
            if (timeout != 0)
            {
                Wait(timeout);
            }

            _nowStale = true;
            n = Process();
        }

        _backend.EndTick();
        return n;
    }

    private int Process()
    {
        _backend.Poll(busy: _readyHead is not null || _queue.HasPending);
        DrainForeign();
        int n = DispatchReady() + FireTimers();
        if (n > 0 && LoopMetrics.Dispatched.Enabled)
        {
            LoopMetrics.Dispatched.Add(n);
        }

        return n;
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

        if (total > 0 && LoopMetrics.RingHighWater.Enabled)
        {
            LoopMetrics.ObserveRingDepth(total);
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
                if (Dispatch(c))
                {
                    n++;
                }
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
            if (t.Deadline > CurrentTicks() || t.TimerSequence >= limit)
            {
                break;
            }

            _timers.Pop();
            if (t.Operation != Operation.Timer)
            {
                CancelCore(t, timedOut: true); // an operation's deadline: its callback follows once it stopped
                continue;
            }

            n++;
            Dispatch(t);
        }

        return n;
    }
}
