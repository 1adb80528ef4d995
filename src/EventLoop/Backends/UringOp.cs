using System.Buffers;
using System.Net;
using System.Net.Sockets;
using EventLoop.Net;
using static EventLoop.Backends.IoUringAbi;

namespace EventLoop.Backends;

/// <summary>
/// One completion's accept / connect / receive / send on the io_uring backend. The buffer is pinned from the SQE's
/// preparation until the operation's last CQE (the kernel may write it at any time in between, including after a
/// cancel was asked for: only the CQE says it stopped). A send is resubmitted until every byte went out. An
/// operation that meets a non-blocking descriptor (-EAGAIN, or a connect in progress) waits with a POLL_ADD under the
/// same user_data and is then retried.
/// </summary>
internal sealed unsafe class UringOp : BackendOp
{
    private const uint PollIn = 0x001;
    private const uint PollOut = 0x004;

    private readonly Completion _c;
    private byte[]? _sockaddr; // pinned (POH): connect's address, read by the kernel while the SQE is in flight
    private uint _sockaddrLength;
    private MemoryHandle _pin;
    private Tcp? _tcp;
    private ulong _userData;
    private int _fd;
    private int _done;
    private bool _polling;
    private bool _cancelAsked; // this backend queued an ASYNC_CANCEL for it (Loop.Cancel, a deadline, a close)
    private UringRecvStream? _stream; // a receive waiting on its socket's multishot (no SQE, no slot, nothing pinned)

    public UringOp(IoUringBackend backend, Completion c)
    {
        Backend = backend;
        _c = c;
    }

    public IoUringBackend Backend { get; }

    /// <summary>Queues the SQE. Loop thread (or the one thread while no Run is in progress). Never throws: a failure to start is the result.</summary>
    public void Start(Tcp tcp)
    {
        try
        {
            if (tcp.Socket.SafeHandle.IsClosed)
            {
                throw new ObjectDisposedException(nameof(Socket));
            }

            if (_c.Operation == Operation.Connect)
            {
                PrepareConnect(tcp.Socket, (IPEndPoint)_c.RemoteEndPoint!);
            }

            _fd = (int)tcp.Socket.SafeHandle.DangerousGetHandle();
        }
        catch (Exception e)
        {
            TcpOp.Fail(_c, e);
            _c.Loop!.Complete(_c);
            return;
        }

        _done = 0;
        if (_c.Operation == Operation.Send && Backend.SendInlineNow && TrySendInline() is int errno)
        {
            // Done without the ring (all sent, or failed): the completion goes to the ready list like any other, so
            // its callback still runs on a later tick, never inside this call.
            if (errno != 0)
            {
                _c.ResultSocketError = Errno.ToSocketError(errno);
            }
            else
            {
                _c.ResultBytes = _done;
            }

            _c.Loop!.Complete(_c);
            return;
        }

        _tcp = tcp;
        tcp.BackendOps.Add(this);
        _polling = false;
        _cancelAsked = false;
        InFlight = true;
        if (_c.Operation == Operation.Receive && Backend.StreamOf(tcp, _fd) is { } stream)
        {
            _stream = stream;
            if (stream.Receive(this))
            {
                return; // waiting on the socket's multishot, or already finished from what it had queued
            }
        }

        SubmitOneShot();
    }

    /// <summary>The receive's buffer (the stream copies into it).</summary>
    public Memory<byte> ReceiveBuffer => _c.Buffer;

    /// <summary>A receive served by the socket's multishot stream ends: <paramref name="bytes"/> copied, or <paramref name="errno"/>.</summary>
    public void FinishReceive(int bytes, int errno)
    {
        _c.ResultBytes = bytes;
        Finish(errno);
    }

    /// <summary>The operation as its own SQE (a receive: a one-shot RECV into the caller's buffer, pinned until its last CQE).</summary>
    public void SubmitOneShot()
    {
        _stream = null;
        if (_c.Operation is Operation.Receive or Operation.Send)
        {
            _pin = _c.Buffer.Pin();
        }

        _userData = Backend.Register(this);
        Submit();
    }

    /// <summary>Asks the kernel to stop the operation; its CQE (-ECANCELED, or its result if it won the race) follows.</summary>
    public void Cancel()
    {
        if (_stream is not null)
        {
            // Waiting on the socket's multishot: the kernel holds nothing of this operation, so it stops now (the
            // callback still runs on a later tick); the multishot stays armed for the next receive.
            if (_stream.Detach(this))
            {
                Finish(Libc.ECANCELED);
            }

            return;
        }

        _cancelAsked = true;
        Backend.QueueCancel(_userData);
    }

    /// <summary>One CQE for this operation; true if the operation finished (its completion is on its way to the callback).</summary>
    public bool OnCqe(int res)
    {
        if (res == -Libc.ECANCELED && !_cancelAsked && !_c.CancelRequested)
        {
            // Nobody here asked: the kernel cancels a thread's requests when that thread exits (the one that ran the
            // loop when this was submitted). Nothing was transferred, so submit it again, from the loop thread now.
            if (_polling)
            {
                SubmitPoll(_c.Operation is Operation.Send or Operation.Connect ? PollOut : PollIn);
            }
            else
            {
                Submit();
            }

            return false;
        }

        if (_polling)
        {
            _polling = false;
            if (res < 0)
            {
                return Finish(-res);
            }

            if (_c.CancelRequested)
            {
                return Finish(Libc.ECANCELED);
            }

            if (_c.Operation == Operation.Connect)
            {
                return Finish(SocketErrorOf(_fd));
            }

            Submit();
            return false;
        }

        bool wouldBlock = res == -Libc.EAGAIN
            || (_c.Operation == Operation.Connect && res is -Libc.EINPROGRESS or -Libc.EALREADY);
        if (wouldBlock && !_c.CancelRequested)
        {
            _polling = true;
            SubmitPoll(_c.Operation is Operation.Send or Operation.Connect ? PollOut : PollIn);
            return false;
        }

        if (res < 0)
        {
            return Finish(-res);
        }

        switch (_c.Operation)
        {
            case Operation.Accept:
                _c.ResultValue = new Tcp(new Socket(new SafeSocketHandle(res, ownsHandle: true)));
                break;
            case Operation.Receive:
                _c.ResultBytes = res;
                break;
            case Operation.Send:
                _done += res;
                if (_done < _c.Buffer.Length && res > 0 && !_c.CancelRequested)
                {
                    Submit(); // a stream send completes only when every byte is written
                    return false;
                }

                _c.ResultBytes = _done;
                break;
        }

        return Finish(0);
    }

    /// <summary>
    /// A send tried at once with MSG_DONTWAIT (the buffer is pinned only for the call): 0 when every byte went out, an
    /// errno when it failed, null when the socket's buffer is full (<see cref="_done"/> says how much went out): the
    /// rest then goes through the ring. Saves the ring round trip (an SQE, and an enter that returns at once with its
    /// CQE) for the usual case of a socket with room; only tried while nothing else is queued for the ring (see
    /// <see cref="IoUringBackend.SendInlineNow"/>).
    /// </summary>
    private int? TrySendInline()
    {
        Backend.InlineTried();
        fixed (byte* p = _c.Buffer.Span)
        {
            while (_done < _c.Buffer.Length)
            {
                nint n = Libc.Send(_fd, p + _done, (nuint)(_c.Buffer.Length - _done), Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
                if (n < 0)
                {
                    int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR)
                    {
                        continue;
                    }

                    return errno == Libc.EAGAIN ? null : errno;
                }

                _done += (int)n;
            }
        }

        return 0;
    }

    private static int SocketErrorOf(int fd)
    {
        int err = 0;
        uint len = sizeof(int);
        return Libc.GetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_ERROR, &err, &len) == 0 ? err : System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
    }

    /// <summary>
    /// Serializes the address for the kernel. An unbound socket is first bound to the wildcard address (port 0) so
    /// that the runtime's <see cref="Socket.LocalEndPoint"/> reports the address the connect picks.
    /// </summary>
    private void PrepareConnect(Socket socket, IPEndPoint remote)
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
        _sockaddr ??= GC.AllocateArray<byte>(128, pinned: true);
        address.Buffer.Span[..address.Size].CopyTo(_sockaddr);
        _sockaddrLength = (uint)address.Size;
    }

    private void Submit()
    {
        Sqe* sqe = Backend.NextSqe();
        sqe->Fd = _fd;
        sqe->UserData = _userData;
        switch (_c.Operation)
        {
            case Operation.Accept:
                sqe->Opcode = OpAccept;
                sqe->OpFlags = Libc.SOCK_CLOEXEC;
                break;
            case Operation.Connect:
                sqe->Opcode = OpConnect;
                fixed (byte* a = _sockaddr)
                {
                    sqe->Addr = (ulong)a; // POH: the address never moves
                }

                sqe->Off = _sockaddrLength;
                break;
            case Operation.Receive:
                sqe->Opcode = OpRecv;
                sqe->Addr = (ulong)_pin.Pointer;
                sqe->Len = (uint)_c.Buffer.Length;
                break;
            default:
                sqe->Opcode = OpSend;
                sqe->Addr = (ulong)((byte*)_pin.Pointer + _done);
                sqe->Len = (uint)(_c.Buffer.Length - _done);
                sqe->OpFlags = Libc.MSG_NOSIGNAL;
                break;
        }

        Backend.Push();
    }

    private void SubmitPoll(uint events)
    {
        Sqe* sqe = Backend.NextSqe();
        sqe->Opcode = OpPollAdd;
        sqe->Fd = _fd;
        sqe->OpFlags = events;
        sqe->UserData = _userData;
        Backend.Push();
    }

    /// <summary>The kernel is done with the buffer: unpin, free the slot, hand the completion to the loop.</summary>
    private bool Finish(int errno)
    {
        if (errno != 0)
        {
            _c.ResultSocketError = Errno.ToSocketError(errno);
        }

        _pin.Dispose();
        _pin = default;
        _stream = null;
        if (_userData != 0)
        {
            Backend.Unregister(_userData);
            _userData = 0;
        }

        InFlight = false;
        _tcp?.BackendOps.Remove(this);
        _tcp = null;
        _c.Loop!.Complete(_c);
        return true;
    }
}
