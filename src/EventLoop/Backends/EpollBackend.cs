using System.Runtime.InteropServices;
using EventLoop.Net;

namespace EventLoop.Backends;

/// <summary>
/// epoll driven by the loop thread (libxev's epoll.zig is the model): an operation first tries its call at once
/// (non-blocking: MSG_DONTWAIT, or O_NONBLOCK for the duration of an accept or connect, so that the runtime's own
/// blocking calls on the same socket keep working); if the kernel says it would block, it is parked on its socket
/// until <c>epoll_wait</c> reports the socket ready, and then tried again on the loop thread. Each socket is
/// registered once, edge-triggered for both directions (EPOLL_CTL_ADD reports the readiness it already has, so an
/// edge between the failed try and the registration is not lost); a spurious readiness just fails the try again.
/// Wake-ups: an eventfd, level-triggered, drained when it fires.
/// </summary>
internal sealed unsafe class EpollBackend : Backend
{
    private const int MaxEvents = 256;
    private const ulong WakeTag = ulong.MaxValue;

    private readonly int _epfd;
    private readonly int _eventFd;
    private readonly Libc.EpollEvent* _events;
    private readonly SlotTable<EpollSocket> _sockets = new();
    private int _parked;
    private int _disposed;
    private bool _collected; // epoll_wait ran in this tick
    private bool _stale;     // a tick ended without asking epoll while operations were parked

    private EpollBackend(int epfd, int eventFd)
    {
        _epfd = epfd;
        _eventFd = eventFd;
        _events = (Libc.EpollEvent*)NativeMemory.Alloc((nuint)(MaxEvents * sizeof(Libc.EpollEvent)));
    }

    public override LoopBackend Kind => LoopBackend.Epoll;

    public override bool OwnsSockets => true;

    /// <summary>Creates the epoll instance and its eventfd, or says why not.</summary>
    public static bool TryCreate(out EpollBackend? backend, out string? reason)
    {
        backend = null;
        if (!OperatingSystem.IsLinux())
        {
            reason = "not Linux";
            return false;
        }

        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            reason = "struct epoll_event is laid out for x86-64 only"; // packed there, aligned on other architectures
            return false;
        }

        int epfd = Libc.EpollCreate1(Libc.EPOLL_CLOEXEC);
        if (epfd < 0)
        {
            reason = Libc.Describe("epoll_create1", Marshal.GetLastPInvokeError());
            return false;
        }

        int efd = Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (efd < 0)
        {
            reason = Libc.Describe("eventfd", Marshal.GetLastPInvokeError());
            Libc.Close(epfd);
            return false;
        }

        var ev = new Libc.EpollEvent { Events = Libc.EPOLLIN, Data = WakeTag };
        if (Libc.EpollCtl(epfd, Libc.EPOLL_CTL_ADD, efd, &ev) < 0)
        {
            reason = Libc.Describe("epoll_ctl", Marshal.GetLastPInvokeError());
            Libc.Close(efd);
            Libc.Close(epfd);
            return false;
        }

        backend = new EpollBackend(epfd, efd);
        reason = null;
        return true;
    }

    public override void Wake()
    {
        ulong one = 1;
        Libc.Write(_eventFd, &one, 8);
    }

    public override void Wait(long timeoutTicks)
    {
        int ms = timeoutTicks < 0 ? -1 : (int)Math.Min(int.MaxValue, (timeoutTicks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);
        Collect(ms);
    }

    /// <summary>A busy tick (or one after a tick that never looked) asks epoll; an idle one leaves it to <see cref="Wait"/>.</summary>
    public override int Poll(bool busy) => _parked > 0 && (busy || _stale) ? Collect(0) : 0;

    public override void EndTick()
    {
        _stale = !_collected && _parked > 0;
        _collected = false;
    }

    public override bool PollForSpin() => _parked > 0 && Collect(0) > 0;

    public override bool Start(Tcp tcp, Completion c)
    {
        if (Precheck(c, _disposed != 0) is { } handled)
        {
            return handled;
        }

        if (c.IoOp is not EpollOp op || !ReferenceEquals(op.Backend, this))
        {
            op = new EpollOp(this, c);
            c.IoOp = op;
        }

        op.Start(tcp);
        return true;
    }

    public override bool Cancel(Completion c)
    {
        if (_disposed == 0 && c.IoOp is EpollOp { InFlight: true } op && ReferenceEquals(op.Backend, this))
        {
            op.CancelParked();
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

        for (int i = tcp.BackendOps.Count - 1; i >= 0; i--)
        {
            if (tcp.BackendOps[i] is EpollOp op && ReferenceEquals(op.Backend, this))
            {
                op.CancelParked();
            }
        }

        if (tcp.BackendState is EpollSocket s && ReferenceEquals(s.Backend, this))
        {
            Libc.EpollCtl(_epfd, Libc.EPOLL_CTL_DEL, s.Fd, null); // closing would remove it too; this keeps the table exact
            _sockets.Remove(s.Tag);
            tcp.BackendState = null;
        }
    }

    /// <summary>A loop dropped without Dispose must not leak its descriptors and mappings (native resources only here).</summary>
    ~EpollBackend() => Release();

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

        Libc.Close(_eventFd);
        Libc.Close(_epfd);
        NativeMemory.Free(_events);
    }

    /// <summary>The registration of <paramref name="tcp"/>'s descriptor (made on first use).</summary>
    internal EpollSocket SocketOf(Tcp tcp, int fd)
    {
        if (tcp.BackendState is EpollSocket s && ReferenceEquals(s.Backend, this) && s.Fd == fd)
        {
            return s;
        }

        s = new EpollSocket(this, fd);
        s.Tag = _sockets.Add(s);
        var ev = new Libc.EpollEvent { Events = Libc.EPOLLIN | Libc.EPOLLOUT | Libc.EPOLLRDHUP | Libc.EPOLLET, Data = s.Tag };
        if (Libc.EpollCtl(_epfd, Libc.EPOLL_CTL_ADD, fd, &ev) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _sockets.Remove(s.Tag);
            throw new System.Net.Sockets.SocketException((int)Errno.ToSocketError(errno));
        }

        tcp.BackendState = s;
        return s;
    }

    internal void Parked() => _parked++;

    internal void Unparked() => _parked--;

    /// <summary>One epoll_wait: retries the operations parked on sockets that became ready; returns how many finished.</summary>
    private int Collect(int timeoutMs)
    {
        int n = Libc.EpollWait(_epfd, _events, MaxEvents, timeoutMs);
        _collected = true;
        _stale = false;
        if (n < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == Libc.EINTR ? 0 : throw new InvalidOperationException(Libc.Describe("epoll_wait", errno));
        }

        int finished = 0;
        for (int i = 0; i < n; i++)
        {
            var ev = _events[i];
            if (ev.Data == WakeTag)
            {
                ulong value;
                Libc.Read(_eventFd, &value, 8); // resets the counter: the next wait sleeps again
                continue;
            }

            if (_sockets.Get(ev.Data) is not { } s)
            {
                continue; // deregistered since the kernel queued the event
            }

            const uint readable = Libc.EPOLLIN | Libc.EPOLLERR | Libc.EPOLLHUP | Libc.EPOLLRDHUP;
            const uint writable = Libc.EPOLLOUT | Libc.EPOLLERR | Libc.EPOLLHUP;
            if ((ev.Events & readable) != 0 && s.Reader is { } r && r.Retry())
            {
                finished++;
            }

            if ((ev.Events & writable) != 0 && s.Writer is { } w && w.Retry())
            {
                finished++;
            }
        }

        return finished;
    }
}
