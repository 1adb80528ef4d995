using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using EventLoop.Net;

namespace EventLoop.Backends;

/// <summary>
/// One completion's accept / connect / receive / send on the epoll backend. Every call is made on the loop thread and
/// never blocks; the buffer is only touched inside those calls, so nothing stays pinned while the operation is parked.
/// </summary>
internal sealed unsafe class EpollOp : BackendOp
{
    private readonly Completion _c;
    private Tcp? _tcp;
    private EpollSocket? _socket;
    private int _fd;
    private int _done;
    private bool _parked;
    private bool _connecting; // a non-blocking connect was issued; readiness means it ended (SO_ERROR says how)
    private int _savedFlags;

    public EpollOp(EpollBackend backend, Completion c)
    {
        Backend = backend;
        _c = c;
    }

    public EpollBackend Backend { get; }

    /// <summary>Tries the call at once; parks the operation if the kernel would block. Never throws: a failure is the result.</summary>
    public void Start(Tcp tcp)
    {
        try
        {
            if (tcp.Socket.SafeHandle.IsClosed)
            {
                throw new ObjectDisposedException(nameof(Socket));
            }

            _fd = (int)tcp.Socket.SafeHandle.DangerousGetHandle();
            _tcp = tcp;
            _done = 0;
            _connecting = false;
            InFlight = true;
            tcp.BackendOps.Add(this);
            if (_c.Operation == Operation.Connect)
            {
                BeginConnect(tcp.Socket, (IPEndPoint)_c.RemoteEndPoint!);
            }
            else
            {
                Retry();
            }
        }
        catch (Exception e)
        {
            TcpOp.Fail(_c, e);
            Finish(0);
        }
    }

    /// <summary>A parked operation stops now (its callback runs canceled); one already finished is left to its callback.</summary>
    public void CancelParked()
    {
        if (_parked)
        {
            Finish(Libc.ECANCELED);
        }
    }

    /// <summary>Makes the call; true if the operation finished (successfully or not), false if it is (still) parked.</summary>
    public bool Retry()
    {
        int errno;
        switch (_c.Operation)
        {
            case Operation.Accept:
                errno = TryAccept();
                break;
            case Operation.Connect:
                errno = SocketErrorOf(_fd);
                RestoreFlags();
                break;
            case Operation.Receive:
                errno = TryReceive();
                break;
            default:
                errno = TrySend();
                break;
        }

        if (errno == Libc.EAGAIN)
        {
            Park();
            return false;
        }

        Finish(errno);
        return true;
    }

    private static int SocketErrorOf(int fd)
    {
        int err = 0;
        uint len = sizeof(int);
        return Libc.GetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_ERROR, &err, &len) == 0 ? err : Marshal.GetLastPInvokeError();
    }

    private int TryAccept()
    {
        // O_NONBLOCK only around the call: the listener stays blocking for whoever else uses it.
        int flags = Libc.Fcntl(_fd, Libc.F_GETFL, 0);
        bool toggle = flags >= 0 && (flags & Libc.O_NONBLOCK) == 0;
        if (toggle)
        {
            Libc.Fcntl(_fd, Libc.F_SETFL, flags | Libc.O_NONBLOCK);
        }

        int fd = Libc.Accept4(_fd, null, null, Libc.SOCK_CLOEXEC);
        int errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        if (toggle)
        {
            Libc.Fcntl(_fd, Libc.F_SETFL, flags);
        }

        if (fd >= 0)
        {
            _c.ResultValue = new Tcp(new Socket(new SafeSocketHandle(fd, ownsHandle: true)));
            return 0;
        }

        return errno is Libc.EINTR or 103 /* ECONNABORTED: that one is gone, wait for the next */ ? Libc.EAGAIN : errno;
    }

    private int TryReceive()
    {
        while (true)
        {
            nint n;
            fixed (byte* p = _c.Buffer.Span)
            {
                n = Libc.Recv(_fd, p, (nuint)_c.Buffer.Length, Libc.MSG_DONTWAIT);
            }

            if (n >= 0)
            {
                _c.ResultBytes = (int)n;
                return 0;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.EINTR)
            {
                return errno;
            }
        }
    }

    private int TrySend()
    {
        while (_done < _c.Buffer.Length)
        {
            nint n;
            fixed (byte* p = _c.Buffer.Span)
            {
                n = Libc.Send(_fd, p + _done, (nuint)(_c.Buffer.Length - _done), Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
            }

            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EINTR)
                {
                    continue;
                }

                return errno;
            }

            _done += (int)n;
        }

        _c.ResultBytes = _done;
        return 0;
    }

    /// <summary>A non-blocking connect (O_NONBLOCK for its duration); an unbound socket is bound first, as on io_uring, so that LocalEndPoint works.</summary>
    private void BeginConnect(Socket socket, IPEndPoint remote)
    {
        if (socket.AddressFamily == AddressFamily.InterNetworkV6 && remote.AddressFamily == AddressFamily.InterNetwork)
        {
            remote = new IPEndPoint(remote.Address.MapToIPv6(), remote.Port);
        }

        if (socket.LocalEndPoint is null)
        {
            socket.Bind(new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        }

        var address = remote.Serialize();
        _savedFlags = Libc.Fcntl(_fd, Libc.F_GETFL, 0);
        if (_savedFlags >= 0 && (_savedFlags & Libc.O_NONBLOCK) == 0)
        {
            Libc.Fcntl(_fd, Libc.F_SETFL, _savedFlags | Libc.O_NONBLOCK);
        }

        int errno = 0;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            int r;
            fixed (byte* a = address.Buffer.Span)
            {
                r = Libc.Connect(_fd, a, (uint)address.Size);
            }

            errno = r == 0 ? 0 : Marshal.GetLastPInvokeError();
            if (errno != 103)
            {
                break;
            }

            // ECONNABORTED: the kernel still held the socket in "connecting" after an earlier non-blocking attempt
            // failed; this call reset it, so the next one is a fresh connect (a Rearm after a refusal).
        }

        if (errno is Libc.EINPROGRESS or Libc.EINTR)
        {
            _connecting = true;
            Park();
            return;
        }

        RestoreFlags();
        Finish(errno);
    }

    private void RestoreFlags()
    {
        if (_savedFlags >= 0 && (_savedFlags & Libc.O_NONBLOCK) == 0)
        {
            Libc.Fcntl(_fd, Libc.F_SETFL, _savedFlags);
        }

        _savedFlags = -1;
    }

    private void Park()
    {
        if (_parked)
        {
            return;
        }

        _socket = Backend.SocketOf(_tcp!, _fd);
        if (_c.Operation is Operation.Accept or Operation.Receive)
        {
            _socket.Reader = this;
        }
        else
        {
            _socket.Writer = this;
        }

        _parked = true;
        Backend.Parked();
    }

    /// <summary>Unparks, records the outcome and hands the completion to the loop (never inline).</summary>
    private void Finish(int errno)
    {
        if (_parked)
        {
            _parked = false;
            Backend.Unparked();
            if (ReferenceEquals(_socket!.Reader, this))
            {
                _socket.Reader = null;
            }

            if (ReferenceEquals(_socket.Writer, this))
            {
                _socket.Writer = null;
            }
        }

        if (_connecting)
        {
            _connecting = false;
            RestoreFlags();
        }

        if (errno != 0)
        {
            _c.ResultSocketError = Errno.ToSocketError(errno);
        }

        _socket = null;
        InFlight = false;
        _tcp?.BackendOps.Remove(this);
        _tcp = null;
        _c.Loop!.Complete(_c);
    }
}
