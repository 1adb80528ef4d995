using System.Runtime.InteropServices;
using EventLoop.Net;
using static EventLoop.Backends.IoUringAbi;

namespace EventLoop.Backends;

/// <summary>
/// io_uring driven by the loop thread (libxev's io_uring.zig is the model). The rings are set up with
/// <c>io_uring_setup</c> and mapped with <c>mmap</c>; operations are SQEs written during a tick and handed to the
/// kernel in one <c>io_uring_enter</c>: the one the next idle tick waits in (it submits and waits for one CQE with the
/// next timer's deadline, IORING_ENTER_EXT_ARG), or at the start of the next busy tick; so a ping-pong costs one
/// system call per hop. CQEs are reaped at the start of each tick (no system call: the CQ ring is shared memory).
/// <para>Memory ordering: the SQ tail and CQ head are ours (written with release, <see cref="Volatile.Write(ref uint, uint)"/>,
/// after the SQE is filled / the CQE consumed); the SQ head and CQ tail are the kernel's (read with acquire).</para>
/// <para>Wake-up: an eventfd has a READ SQE pending at all times; <see cref="Wake"/> writes it (only while the loop
/// sleeps, per the loop's flag), its CQE ends the wait and the read is re-armed.</para>
/// <para>user_data: an operation's (or a multishot receive stream's) tag in <see cref="_slots"/> (slot and
/// generation), so a stale CQE or a cancel aimed at a slot since reused matches nothing.</para>
/// <para>Receives go through one multishot RECV per socket (<see cref="UringRecvStream"/>, buffers from
/// <see cref="UringBufferRing"/>); the first send of a tick is tried with send(2) first (<see cref="SendInlineNow"/>).
/// Setup asks for COOP_TASKRUN | TASKRUN_FLAG (no IPI into a running loop thread; the SQ ring's flag says when an
/// enter is needed to run pending completion work). SINGLE_ISSUER | DEFER_TASKRUN is an internal option
/// (<see cref="LoopOptions.IoUringDeferTaskrun"/>; ~5 % less CPU per round trip at 1 connection in loop-echo) but not the
/// default: it binds the ring to one thread, and a loop may move between threads.</para>
/// </summary>
internal sealed unsafe class IoUringBackend : Backend
{
    private const uint SqEntries = 1024;
    private const uint CqEntries = 16384;
    private const ulong WakeTag = ulong.MaxValue;
    private const ulong IgnoreTag = ulong.MaxValue - 1;

    private readonly int _ringFd;
    private readonly int _eventFd;
    private readonly nint _sqRing;
    private readonly nuint _sqRingSize;
    private readonly nint _cqRing;
    private readonly nuint _cqRingSize;
    private readonly nint _sqesMap;
    private readonly nuint _sqesSize;
    private readonly uint* _sqHead;
    private readonly uint* _sqTail;
    private readonly uint* _sqFlags;
    private readonly uint _sqMask;
    private readonly uint _sqCount;
    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly uint _cqMask;
    private readonly Cqe* _cqes;
    private readonly Sqe* _sqes;
    private readonly ulong* _wakeBuffer;
    private uint _sqLocalTail;
    private uint _toSubmit;
    private readonly SlotTable<object> _slots = new(); // UringOp, UringRecvStream
    private readonly int _recvBufferCount;
    private readonly int _recvBufferSize;
    private bool _multishot; // receives go through a per-socket multishot RECV (until the kernel refuses it)
    private int _liveStreams; // multishot RECVs queued or in the kernel (until their last CQE)
    private int _disposed;
    private bool _disabled; // DEFER_TASKRUN: created R_DISABLED, enabled by the first enter
    private readonly bool _deferTaskrun;
    private bool _carried; // SQEs queued have already waited out one tick end: the next tick end submits them

    private IoUringBackend(int ringFd, in Params p, LoopOptions options)
    {
        _ringFd = ringFd;
        _multishot = options.IoUringMultishotReceive;
        _inlineSends = options.IoUringInlineSends;
        _runPendingOnRead = options.IoUringRunPendingOnRead;
        _recvBufferCount = options.IoUringReceiveBuffers;
        _recvBufferSize = options.IoUringReceiveBufferSize;
        try
        {
            (_sqRing, _sqRingSize, _cqRing, _cqRingSize, _sqesMap, _sqesSize) = MapRings(ringFd, in p);
        }
        catch
        {
            Release(); // closes the ring and unmaps what was mapped; nothing is left to finalize
            GC.SuppressFinalize(this);
            throw;
        }

        byte* sq = (byte*)_sqRing;
        byte* cq = (byte*)_cqRing;
        _sqHead = (uint*)(sq + p.SqOff.Head);
        _sqTail = (uint*)(sq + p.SqOff.Tail);
        _sqFlags = (uint*)(sq + p.SqOff.Flags);
        SetupFlags = p.Flags;
        _disabled = (p.Flags & SetupRDisabled) != 0;
        _deferTaskrun = (p.Flags & SetupDeferTaskrun) != 0;
        _sqMask = *(uint*)(sq + p.SqOff.RingMask);
        _sqCount = *(uint*)(sq + p.SqOff.RingEntries);
        uint* array = (uint*)(sq + p.SqOff.Array);
        for (uint i = 0; i < _sqCount; i++)
        {
            array[i] = i; // SQE i always sits in slot i: the indirection array is the identity
        }

        _cqHead = (uint*)(cq + p.CqOff.Head);
        _cqTail = (uint*)(cq + p.CqOff.Tail);
        _cqMask = *(uint*)(cq + p.CqOff.RingMask);
        _cqes = (Cqe*)(cq + p.CqOff.Cqes);
        _sqes = (Sqe*)_sqesMap;
        _sqLocalTail = *_sqTail;
        _wakeBuffer = (ulong*)NativeMemory.AllocZeroed(8);
        // Blocking on purpose: io_uring answers a read of an O_NONBLOCK eventfd with -EAGAIN instead of waiting for it.
        _eventFd = Libc.EventFd(0, Libc.EFD_CLOEXEC);
        if (_eventFd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Dispose();
            throw new InvalidOperationException(Libc.Describe("eventfd", errno));
        }

        ArmWake(); // submitted by the first Run: the kernel runs a request's completion work on the thread that submitted it
    }

    public override LoopBackend Kind => LoopBackend.IoUring;

    public override bool OwnsSockets => true;


    private readonly bool _inlineSends;

    /// <summary>
    /// Whether a send should be tried with a non-blocking send(2) first: the first of a tick, while nothing is queued
    /// for the ring. A lone send costs a system call either way and send(2) is the cheaper one (and goes out at once);
    /// when a tick sends many (100 connections echoing), one enter for the rest costs less than a send(2) each
    /// (measured in loop-echo, 100 connections: every send inline ~12.0 CPU µs per round trip, the first only ~10.4,
    /// none ~10.3).
    /// </summary>
    internal bool SendInlineNow => _inlineSends && _toSubmit == 0 && _inlineThisTick == 0;

    private int _inlineThisTick;

    /// <summary>A send was just tried inline (one per tick: the rest of the tick's sends share an enter).</summary>
    internal void InlineTried() => _inlineThisTick++;

    /// <summary>
    /// For a synchronous read on the loop thread that found a socket's multishot queue empty: if completion work is
    /// pending for this thread (the SQ ring's TASKRUN flag: data arrived and the kernel waits for this thread to run the
    /// multishot's recv), one enter with GETEVENTS (no wait) runs it; the CQEs present are reaped now. Without it, a thread
    /// busy in user code leaves the socket undrained until its next system call: its receive window closes and the
    /// sender stalls (loop-ws over TLS: the loop entered the kernel once per ~1,000 messages). Not inside <see cref="Reap"/>.
    /// </summary>
    internal void RunPendingCompletions()
    {
        if (!_runPendingOnRead)
        {
            return;
        }

        if (TaskrunPending)
        {
            Enter(0, 0, EnterGetEvents, 0, 0);
        }

        if (CqReady())
        {
            Reap(); // also CQEs the work posted before (at this thread's last return from the kernel), not reaped yet
        }
    }

    private readonly bool _runPendingOnRead;

    /// <summary>The setup flags the kernel accepted (tests: which probe won).</summary>
    internal uint SetupFlags { get; }

    /// <summary>Completion work is queued for this thread and needs an enter to reach the CQ (COOP_TASKRUN with TASKRUN_FLAG).</summary>
    private bool TaskrunPending => (Volatile.Read(ref *_sqFlags) & SqTaskrun) != 0;

    /// <summary>Sets up a ring, or says why the kernel (or <see cref="LoopOptions.RefuseIoUring"/>) refused.</summary>
    public static bool TryCreate(LoopOptions options, out IoUringBackend? backend, out string? reason)
    {
        backend = null;
        if (options.RefuseIoUring)
        {
            reason = "io_uring_setup refused (simulated by LoopOptions.RefuseIoUring)";
            return false;
        }

        if (!OperatingSystem.IsLinux())
        {
            reason = "not Linux";
            return false;
        }

        // The cheapest completion delivery the kernel accepts: COOP_TASKRUN lets the kernel queue completion work for
        // the loop thread without interrupting it (no IPI while it runs; it still wakes it when it sleeps in the wait),
        // and TASKRUN_FLAG says in the SQ ring when such work is pending, so a spinning loop knows it must enter.
        // Older kernels (< 5.19) refuse the flags with EINVAL: then plain setup.
        Params p = default;
        long fd = -1;
        int errno = 0;
        // With LoopOptions.IoUringDeferTaskrun, SINGLE_ISSUER | DEFER_TASKRUN first (6.1+): created disabled, so that
        // the thread of the first enter (the first Run's, not the constructor's) becomes the ring's only submitter.
        uint defer = options.IoUringDeferTaskrun ? SetupTaskrunFlag | SetupSingleIssuer | SetupDeferTaskrun | SetupRDisabled : SetupCoopTaskrun | SetupTaskrunFlag;
        foreach (uint extra in (ReadOnlySpan<uint>)[defer, SetupCoopTaskrun | SetupTaskrunFlag, 0])
        {
            if ((extra & options.IoUringRefusedSetupFlags) != 0)
            {
                errno = Libc.EINVAL; // simulated: the kernel does not know the flag
                continue;
            }

            p = new Params { Flags = SetupCqSize | SetupClamp | extra, CqEntries = CqEntries };
            fd = Libc.Syscall(Libc.SysIoUringSetup, (nint)SqEntries, (nint)(&p), 0, 0, 0, 0);
            if (fd >= 0)
            {
                break;
            }

            errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.EINVAL)
            {
                break; // refused outright (seccomp, memory limits): no flag makes a difference
            }
        }

        if (fd < 0)
        {
            reason = Libc.Describe("io_uring_setup", errno);
            return false;
        }

        if ((p.Features & FeatExtArg) == 0 || (p.Features & FeatNoDrop) == 0)
        {
            Libc.Close((int)fd);
            reason = "the kernel's io_uring lacks IORING_FEAT_EXT_ARG or IORING_FEAT_NODROP (Linux 5.11+ needed)";
            return false;
        }

        try
        {
            backend = new IoUringBackend((int)fd, in p, options);
            reason = null;
            return true;
        }
        catch (InvalidOperationException e)
        {
            reason = e.Message;
            return false;
        }
    }

    public override void Wake()
    {
        ulong one = 1;
        Libc.Write(_eventFd, &one, 8); // a full counter (never here: the loop drains it) would only mean it is already awake
    }

    public override void Wait(long timeoutTicks)
    {
        if (CqReady())
        {
            Reap();
            return;
        }

        uint flags = EnterGetEvents;
        GetEventsArg arg = default;
        KernelTimespec ts = default;
        nint argPtr = 0;
        nint argSize = 0;
        if (timeoutTicks >= 0)
        {
            long ns = timeoutTicks > long.MaxValue / 100 ? long.MaxValue : timeoutTicks * 100;
            ts.Sec = ns / 1_000_000_000;
            ts.Nsec = ns % 1_000_000_000;
            arg.Ts = (ulong)(&ts);
            arg.SigMaskSize = 8; // _NSIG / 8; no mask given
            flags |= EnterExtArg;
            argPtr = (nint)(&arg);
            argSize = sizeof(GetEventsArg);
        }

        Enter(_toSubmit, 1, flags, argPtr, argSize);
        Reap();
    }

    public override int Poll(bool busy)
    {
        _inlineThisTick = 0;
        int reaped = CqReady() ? Reap() : 0;
        if (_toSubmit > 0 && (busy || reaped > 0))
        {
            Enter(_toSubmit, 0, 0, 0, 0);
        }
        else if (busy && reaped == 0 && TaskrunPending)
        {
            // Nothing in the CQ but completion work waits for this thread: run it now (GETEVENTS, no wait), else a
            // busy loop would only see it at its next system call.
            Enter(0, 0, EnterGetEvents, 0, 0);
            reaped = CqReady() ? Reap() : 0;
        }

        return reaped;
    }

    public override void EndTick()
    {
        if (_toSubmit == 0)
        {
            _carried = false;
        }
        else if (_carried)
        {
            Enter(_toSubmit, 0, 0, 0, 0);
        }
        else
        {
            _carried = true;
        }
    }

    public override bool PollForSpin()
    {
        if (_toSubmit > 0 || TaskrunPending)
        {
            // With COOP_TASKRUN the kernel does not interrupt a spinning thread: completion work runs only when it
            // enters, which the SQ ring's TASKRUN flag asks for.
            Enter(_toSubmit, 0, EnterGetEvents, 0, 0);
        }

        return CqReady();
    }

    public override void Flush()
    {
        if (_toSubmit > 0)
        {
            Enter(_toSubmit, 0, 0, 0, 0);
        }
    }

    public override bool Start(Tcp tcp, Completion c)
    {
        if (Precheck(c, _disposed != 0) is { } handled)
        {
            return handled;
        }

        if (c.IoOp is not UringOp op || !ReferenceEquals(op.Backend, this))
        {
            op = new UringOp(this, c);
            c.IoOp = op;
        }

        op.Start(tcp);
        return true;
    }

    public override bool Cancel(Completion c)
    {
        if (_disposed == 0 && c.IoOp is UringOp { InFlight: true } op && ReferenceEquals(op.Backend, this))
        {
            op.Cancel();
            return true;
        }

        return false;
    }

    public override void BeforeClose(Tcp tcp)
    {
        if (_disposed != 0)
        {
            return; // the kernel side is gone with the ring / epoll instance
        }

        bool any = false;
        var ops = tcp.BackendOps;
        for (int i = ops.Count - 1; i >= 0; i--) // backwards: a receive waiting on the stream leaves the list as it stops
        {
            if (i < ops.Count && ops[i] is UringOp { InFlight: true } u && ReferenceEquals(u.Backend, this))
            {
                u.Cancel();
                any = true;
            }
        }

        if (tcp.BackendState is UringRecvStream stream && ReferenceEquals(stream.Backend, this))
        {
            any |= stream.Armed;
            stream.Close();
            tcp.BackendState = null;
        }

        if (any)
        {
            Flush(); // the kernel resolves queued SQEs' descriptors now, before the number can be reused
        }
    }

    /// <summary>A loop dropped without Dispose must not leak its descriptors and mappings (native resources only here).</summary>
    ~IoUringBackend() => Release();

    public override void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Buffers of operations still in flight stay pinned (their handles leak): the kernel tears the ring down
        // asynchronously and may still write them. The receive buffer ring is freed only once every multishot that
        // could pick from it has ended (their last CQEs seen), else it is left allocated for the same reason.
        if (Buffers is not null)
        {
            EndStreamsForRelease();
            Buffers.Release(safe: _liveStreams == 0);
        }

        if (_eventFd > 0)
        {
            Libc.Close(_eventFd);
        }

        if (_sqesMap != 0)
        {
            Libc.Munmap(_sqesMap, _sqesSize);
        }

        if (_cqRing != 0 && _cqRing != _sqRing)
        {
            Libc.Munmap(_cqRing, _cqRingSize);
        }

        if (_sqRing != 0)
        {
            Libc.Munmap(_sqRing, _sqRingSize);
        }

        Libc.Close(_ringFd);
        // The wake buffer is left allocated: a READ may still be in flight until the kernel finished the teardown.
    }

    /// <summary>The provided-buffer ring of the multishot receives (created with the first one), or null.</summary>
    internal UringBufferRing? Buffers { get; private set; }

    /// <summary>Why multishot receives are off (the kernel refused the buffer ring or the flag), or null.</summary>
    internal string? MultishotRefusal { get; private set; }

    /// <summary>
    /// The multishot receive stream of <paramref name="tcp"/> (created on its first receive), or null when receives
    /// go one-shot: multishot off or refused, or the socket's bookkeeping belongs to another backend.
    /// </summary>
    internal UringRecvStream? StreamOf(Tcp tcp, int fd)
    {
        if (!_multishot)
        {
            return null;
        }

        if (tcp.BackendState is UringRecvStream s)
        {
            return ReferenceEquals(s.Backend, this) && s.Fd == fd && !s.Closed ? s : null;
        }

        if (tcp.BackendState is not null)
        {
            return null;
        }

        if (Buffers is null)
        {
            Buffers = UringBufferRing.TryCreate(_ringFd, _recvBufferCount, _recvBufferSize, out var why);
            if (Buffers is null)
            {
                MultishotRefused(why);
                return null;
            }
        }

        var stream = new UringRecvStream(this, fd);
        tcp.BackendState = stream;
        return stream;
    }

    /// <summary>The kernel refused multishot receives: every receive goes one-shot from now on.</summary>
    internal void MultishotRefused(string? why = null)
    {
        _multishot = false;
        MultishotRefusal = why ?? "the kernel answered a multishot RECV with EINVAL (Linux 6.0+ needed)";
    }

    /// <summary>Receives that went one-shot because the buffer ring had run dry (tests).</summary>
    internal int OneShotFallbacks { get; set; }

    /// <summary>Multishot receives queued or in the kernel (tests).</summary>
    internal int LiveStreams => _liveStreams;

    internal void StreamArmed() => _liveStreams++;

    internal void StreamEnded() => _liveStreams--;

    /// <summary>
    /// Disposal with multishot receives still armed (sockets never closed, or closed without a tick since): cancels
    /// every request (ASYNC_CANCEL_ALL|ANY, Linux 5.19+; the buffer ring needs 5.19 too) and reads CQEs for a short
    /// while, counting only the streams' last ones (no callback runs: the loop is going away).
    /// </summary>
    private void EndStreamsForRelease()
    {
        if (_liveStreams == 0)
        {
            return;
        }

        Sqe* sqe = NextSqeRaw();
        if (sqe is not null)
        {
            sqe->Opcode = OpAsyncCancel;
            sqe->Fd = -1;
            sqe->OpFlags = CancelAll | CancelAny;
            sqe->UserData = IgnoreTag;
            Push();
        }

        long deadline = Environment.TickCount64 + 100;
        while (true)
        {
            uint head = *_cqHead;
            uint tail = Volatile.Read(ref *_cqTail);
            for (; head != tail; head++)
            {
                ref Cqe cqe = ref _cqes[head & _cqMask];
                if ((cqe.Flags & CqeFMore) == 0 && _slots.Get(cqe.UserData) is UringRecvStream)
                {
                    _slots.Remove(cqe.UserData);
                    _liveStreams--;
                }
            }

            Volatile.Write(ref *_cqHead, head);
            if (_liveStreams == 0 || Environment.TickCount64 >= deadline)
            {
                return;
            }

            var ts = new KernelTimespec { Nsec = 10_000_000 };
            var arg = new GetEventsArg { Ts = (ulong)(&ts), SigMaskSize = 8 };
            long r = Libc.Syscall(Libc.SysIoUringEnter, _ringFd, (nint)_toSubmit, 1, (nint)(EnterGetEvents | EnterExtArg), (nint)(&arg), sizeof(GetEventsArg));
            if (r > 0)
            {
                _toSubmit -= (uint)Math.Min(r, _toSubmit);
            }
        }
    }

    /// <summary>The next free SQE, zeroed, or null if the SQ is full (no submission here: for the disposal path).</summary>
    private Sqe* NextSqeRaw()
    {
        if (_sqLocalTail - Volatile.Read(ref *_sqHead) >= _sqCount)
        {
            return null;
        }

        Sqe* sqe = &_sqes[_sqLocalTail & _sqMask];
        *sqe = default;
        return sqe;
    }

    /// <summary>Claims a slot for an operation or a multishot stream going in flight; returns its user_data.</summary>
    internal ulong Register(object target) => _slots.Add(target);

    /// <summary>Frees an operation's slot once its last CQE arrived.</summary>
    internal void Unregister(ulong userData) => _slots.Remove(userData);

    /// <summary>The next free SQE, zeroed; when the SQ is full, the queued ones are submitted first.</summary>
    internal Sqe* NextSqe()
    {
        while (_sqLocalTail - Volatile.Read(ref *_sqHead) >= _sqCount)
        {
            Enter(_toSubmit, 0, 0, 0, 0);
        }

        Sqe* sqe = &_sqes[_sqLocalTail & _sqMask];
        *sqe = default;
        return sqe;
    }

    /// <summary>Publishes the SQE <see cref="NextSqe"/> returned (release: its contents before the tail).</summary>
    internal void Push()
    {
        _sqLocalTail++;
        _toSubmit++;
        Volatile.Write(ref *_sqTail, _sqLocalTail);
    }

    /// <summary>Queues an ASYNC_CANCEL for the operation tagged <paramref name="target"/>; its own CQE is ignored.</summary>
    internal void QueueCancel(ulong target)
    {
        Sqe* sqe = NextSqe();
        sqe->Opcode = OpAsyncCancel;
        sqe->Fd = -1;
        sqe->Addr = target;
        sqe->UserData = IgnoreTag;
        Push();
    }

    /// <summary>Maps the SQ ring, the CQ ring (the same mapping with IORING_FEAT_SINGLE_MMAP) and the SQE array; unmaps what it mapped if one fails.</summary>
    private static (nint Sq, nuint SqSize, nint Cq, nuint CqSize, nint Sqes, nuint SqesSize) MapRings(int fd, in Params p)
    {
        nuint sqSize = p.SqOff.Array + (p.SqEntries * sizeof(uint));
        nuint cqSize = p.CqOff.Cqes + (p.CqEntries * (uint)sizeof(Cqe));
        bool single = (p.Features & FeatSingleMmap) != 0;
        if (single)
        {
            sqSize = cqSize = Math.Max(sqSize, cqSize);
        }

        nuint sqesSize = p.SqEntries * (uint)sizeof(Sqe);
        nint sq = Map(fd, sqSize, OffSqRing);
        if (sq == -1)
        {
            throw MapFailed();
        }

        nint cq = sq;
        if (!single && (cq = Map(fd, cqSize, OffCqRing)) == -1)
        {
            Libc.Munmap(sq, sqSize);
            throw MapFailed();
        }

        nint sqes = Map(fd, sqesSize, OffSqes);
        if (sqes == -1)
        {
            if (cq != sq)
            {
                Libc.Munmap(cq, cqSize);
            }

            Libc.Munmap(sq, sqSize);
            throw MapFailed();
        }

        return (sq, sqSize, cq, cqSize, sqes, sqesSize);
    }

    private static nint Map(int fd, nuint size, long offset)
        => Libc.Mmap(0, size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | Libc.MAP_POPULATE, fd, offset);

    private static InvalidOperationException MapFailed()
        => new(Libc.Describe("mmap of the io_uring rings", Marshal.GetLastPInvokeError()));

    private void ArmWake()
    {
        Sqe* sqe = NextSqe();
        sqe->Opcode = OpRead;
        sqe->Fd = _eventFd;
        sqe->Addr = (ulong)_wakeBuffer;
        sqe->Len = 8;
        sqe->Off = ulong.MaxValue; // -1: the file's position (an eventfd has none)
        sqe->UserData = WakeTag;
        Push();
    }

    private bool CqReady() => Volatile.Read(ref *_cqTail) != *_cqHead;

    /// <summary>io_uring_enter; an interrupted or busy (CQ overflowing) call is not an error: the loop reaps and goes on.</summary>
    private void Enter(uint toSubmit, uint minComplete, uint flags, nint arg, nint argSize)
    {
        if (_disabled)
        {
            // DEFER_TASKRUN's ring was created disabled: enabling it makes this thread its submitter.
            _disabled = false;
            Libc.Syscall(Libc.SysIoUringRegister, _ringFd, (nint)RegisterEnableRings, 0, 0, 0, 0);
        }

        if (_deferTaskrun)
        {
            // Deferred completion work runs only in an enter with GETEVENTS (min_complete 0 does not wait). Every enter
            // asks for it: a flush before a close must also finish the multishot's cancel, else the request keeps its
            // file reference and the close sends no FIN (a peer would wait for the end of stream forever).
            flags |= EnterGetEvents;
        }

        long r = Libc.Syscall(Libc.SysIoUringEnter, _ringFd, (nint)toSubmit, (nint)minComplete, (nint)flags, arg, argSize);
        if (r >= 0)
        {
            _toSubmit -= (uint)Math.Min(r, toSubmit);
            _carried &= _toSubmit > 0;
            return;
        }

        int errno = Marshal.GetLastPInvokeError();
        switch (errno)
        {
            case Libc.EINTR:
            case 62: // ETIME: the wait's deadline passed
                return;
            case Libc.EAGAIN:
            case 16: // EBUSY: completions are backing up; reap them, the submission is retried on the next call
                Reap();
                return;
            default:
                throw new InvalidOperationException(Libc.Describe("io_uring_enter", errno));
        }
    }

    /// <summary>Consumes every CQE present (acquire on the kernel's tail, release on our head); returns the operations finished.</summary>
    private int Reap()
    {
        int finished = 0;
        uint head = *_cqHead;
        uint tail = Volatile.Read(ref *_cqTail);
        while (head != tail)
        {
            while (head != tail)
            {
                Cqe cqe = _cqes[head & _cqMask];
                head++;
                if (cqe.UserData == WakeTag)
                {
                    if (_disposed == 0)
                    {
                        ArmWake();
                    }

                    continue;
                }

                if (cqe.UserData == IgnoreTag)
                {
                    continue;
                }

                switch (_slots.Get(cqe.UserData))
                {
                    case UringOp op:
                        if (op.OnCqe(cqe.Res))
                        {
                            finished++;
                        }

                        break;
                    case UringRecvStream stream:
                        finished += stream.OnCqe(cqe.Res, cqe.Flags);
                        break;
                }
            }

            Volatile.Write(ref *_cqHead, head);
            tail = Volatile.Read(ref *_cqTail);
        }

        return finished;
    }
}
