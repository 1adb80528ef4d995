using EventLoop.Net;

namespace EventLoop.Backends;

/// <summary>
/// What differs between the loop's backends: how the idle loop thread waits and is woken, and (for the backends the
/// loop thread drives itself) how TCP operations run. Everything here is called on the loop thread (or on the one
/// thread allowed while no Run is in progress), except <see cref="Wake"/>.
/// <para>Wake protocol (the loop's, unchanged): the loop calls <see cref="PrepareWait"/>, raises its sleeping flag
/// (full fence), re-checks its queue, then calls <see cref="Wait"/>; a producer publishes, fences, and calls
/// <see cref="Wake"/> only if it took the flag down. So a wake is written only while the loop sleeps (or is about to),
/// and a stale one costs one spurious return from <see cref="Wait"/>.</para>
/// </summary>
internal abstract class Backend : IDisposable
{
    /// <summary>The backend this is (never <see cref="LoopBackend.Auto"/>).</summary>
    public abstract LoopBackend Kind { get; }

    /// <summary>True when TCP accept / connect / receive / send run on this backend rather than on the runtime's engine.</summary>
    public virtual bool OwnsSockets => false;

    /// <summary>Before the sleeping flag is raised: forget stale wake-ups that belong to an earlier wait.</summary>
    public virtual void PrepareWait()
    {
    }

    /// <summary>Blocks until <see cref="Wake"/>, finished I/O, or <paramref name="timeoutTicks"/> (-1: none); moves finished I/O to the ready list.</summary>
    public abstract void Wait(long timeoutTicks);

    /// <summary>Any thread: ends a <see cref="Wait"/> in progress (or the next one).</summary>
    public abstract void Wake();

    /// <summary>
    /// Start of a tick, never blocks: moves finished operations to the loop's ready list (returns how many) and, when
    /// the tick is <paramref name="busy"/> (callbacks are ready to run, so it will not wait), hands the kernel what
    /// is queued. An idle tick leaves the queue to <see cref="Wait"/>, which submits and waits in one call.
    /// </summary>
    public virtual int Poll(bool busy) => 0;

    /// <summary>For a spinning wait: true if <see cref="Poll"/> would find something (may poll itself).</summary>
    public virtual bool PollForSpin() => false;

    /// <summary>
    /// End of a tick. Operations queued during a tick normally go to the kernel with the next tick's
    /// <see cref="Poll"/> (busy) or <see cref="Wait"/> (idle), batched; ones that already waited out a whole tick
    /// (the next tick only fired timers) are submitted here, so none waits longer than one tick.
    /// </summary>
    public virtual void EndTick()
    {
    }

    /// <summary>Hands everything queued to the kernel now (when Run returns: nothing stays unsubmitted between runs).</summary>
    public virtual void Flush()
    {
    }

    /// <summary>Starts <paramref name="c"/>'s accept, connect, receive or send on <paramref name="tcp"/>; false if this backend leaves it to the runtime's engine.</summary>
    public virtual bool Start(Tcp tcp, Completion c) => false;

    /// <summary>
    /// What a loop-driven backend's <see cref="Start"/> decides before it touches the kernel: false for a connect to a
    /// name (the runtime's connect resolves it without blocking the loop); true once the backend is disposed (the
    /// operation fails at once as disposed and is completed); null to go on and start it.
    /// </summary>
    protected static bool? Precheck(Completion c, bool disposed)
    {
        if (c.Operation == Operation.Connect && c.RemoteEndPoint is not System.Net.IPEndPoint)
        {
            return false;
        }

        if (disposed)
        {
            TcpOp.Fail(c, new ObjectDisposedException(nameof(Loop), "the loop was disposed"));
            c.Loop!.Complete(c);
            return true;
        }

        return null;
    }

    /// <summary>Asks <paramref name="c"/>'s operation to stop, if this backend runs it; false if it does not (the runtime's engine does).</summary>
    public virtual bool Cancel(Completion c) => false;

    /// <summary>
    /// Before <paramref name="tcp"/>'s socket is closed: stops its operations in flight here (they complete aborted)
    /// and lets go of its descriptor, so that no queued operation reaches a descriptor number the OS reuses.
    /// </summary>
    public virtual void BeforeClose(Tcp tcp)
    {
    }

    public abstract void Dispose();

    /// <summary>
    /// Creates the backend <paramref name="options"/> asks for. Auto tries io_uring, then epoll, then the runtime, and
    /// records why each refused in <paramref name="fallbackReason"/>. An explicit choice the machine refuses throws
    /// <see cref="NotSupportedException"/> with the kernel's reason.
    /// </summary>
    public static Backend Create(LoopOptions options, out string? fallbackReason)
    {
        fallbackReason = null;
        switch (options.Backend)
        {
            case LoopBackend.Runtime:
                return new RuntimeBackend();
            case LoopBackend.IoUring:
                return IoUringBackend.TryCreate(options, out var b, out var why) ? b! : throw new NotSupportedException($"io_uring backend unavailable: {why}");
            case LoopBackend.Epoll:
                return EpollBackend.TryCreate(out var e, out var whyE) ? e! : throw new NotSupportedException($"epoll backend unavailable: {whyE}");
            case LoopBackend.Auto:
                if (IoUringBackend.TryCreate(options, out var u, out var whyU))
                {
                    return u!;
                }

                if (EpollBackend.TryCreate(out var p, out var whyP))
                {
                    fallbackReason = $"io_uring: {whyU}";
                    return p!;
                }

                fallbackReason = $"io_uring: {whyU}; epoll: {whyP}";
                return new RuntimeBackend();
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Backend, "unknown loop backend");
        }
    }
}
