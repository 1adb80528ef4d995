using EventLoop.Net;
using static EventLoop.Backends.IoUringAbi;

namespace EventLoop.Backends;

/// <summary>
/// A socket's receive side on the io_uring backend: one multishot RECV (IORING_RECV_MULTISHOT with buffers from the
/// backend's <see cref="UringBufferRing"/>) stays armed across receives, so a receive costs no SQE and no poll arming;
/// each arrival is a CQE naming a buffer. Data that arrives while no receive waits is queued here (in those buffers)
/// for the next one, which then completes without the kernel. A receive copies what is queued (up to its buffer's
/// length, across chunks) into the caller's buffer, so the caller's memory is never pinned or seen by the kernel.
/// <para>The multishot ends (a CQE without F_MORE) at end of stream (res 0, remembered: every later receive gets 0),
/// on an error (reported once, after the data before it), when the buffer ring ran dry (-ENOBUFS: the waiting receive
/// falls back to a one-shot RECV into its own buffer, the next receive arms again), when the kernel canceled it because
/// the submitting thread exited (armed again), and on <see cref="Close"/>. A receive canceled while waiting only
/// detaches: the multishot stays armed and what arrives is kept for the next receive.</para>
/// Loop thread only. Lives in its socket's <see cref="Tcp.BackendState"/> and, while armed, in the backend's slots.
/// </summary>
internal sealed unsafe class UringRecvStream
{
    private const int NoTerminal = -1;

    // Each queued chunk holds a buffer of the ring, so the ring's count bounds the queue: sized so at the start, a
    // receive never allocates (the growth in Push is only a guard).
    private ushort[] _bids;
    private int[] _lengths;
    private int _head;
    private int _count;
    private int _offset; // bytes of the head chunk already copied out
    private int _terminal = NoTerminal; // 0: end of stream (sticky); > 0: an errno, reported once
    private bool _noBuffers; // the last multishot ended for want of buffers: the waiting receive goes one-shot
    private ulong _tag;
    private UringOp? _receiver;

    public UringRecvStream(IoUringBackend backend, int fd)
    {
        Backend = backend;
        Fd = fd;
        int capacity = Math.Max(8, backend.Buffers?.Count ?? 0);
        _bids = new ushort[capacity];
        _lengths = new int[capacity];
    }

    public IoUringBackend Backend { get; }

    public int Fd { get; }

    /// <summary>A multishot RECV is queued or in the kernel (until its last CQE).</summary>
    public bool Armed => _tag != 0;

    /// <summary>Closed: CQEs still on their way only give their buffers back.</summary>
    public bool Closed { get; private set; }

    /// <summary>
    /// A receive: completes at once (through the ready list) from queued data or a remembered end; else waits for the
    /// next arrival, arming the multishot if it is not. False if it must run as a one-shot RECV instead (the last
    /// multishot found the buffer ring empty), which the caller then submits itself.
    /// </summary>
    public bool Receive(UringOp op)
    {
        if (_count > 0 || _terminal != NoTerminal)
        {
            Deliver(op);
            return true;
        }

        if (!Armed)
        {
            if (_noBuffers)
            {
                _noBuffers = false; // this receive goes one-shot; the next one tries the multishot again
                Backend.OneShotFallbacks++;
                return false;
            }

            Arm();
        }

        _receiver = op;
        return true;
    }

    /// <summary>The waiting receive <paramref name="op"/> stops waiting (canceled, timed out, socket closing); true if it was waiting here.</summary>
    public bool Detach(UringOp op)
    {
        if (!ReferenceEquals(_receiver, op))
        {
            return false;
        }

        _receiver = null;
        return true;
    }

    /// <summary>Before the descriptor closes: the multishot is canceled (its last CQEs only recycle), queued data is dropped.</summary>
    public void Close()
    {
        Closed = true;
        if (Armed)
        {
            Backend.QueueCancel(_tag);
        }

        while (_count > 0)
        {
            Backend.Buffers!.Recycle(_bids[_head]);
            Pop();
        }
    }

    /// <summary>One CQE of the multishot; returns the number of receives it finished (0 or 1).</summary>
    public int OnCqe(int res, uint flags)
    {
        var buffers = Backend.Buffers!;
        if ((flags & CqeFBuffer) != 0)
        {
            int bid = (int)(flags >> CqeBufferShift);
            buffers.Taken();
            if (res > 0 && !Closed)
            {
                Push((ushort)bid, res);
            }
            else
            {
                buffers.Recycle(bid);
            }
        }

        if ((flags & CqeFMore) == 0)
        {
            // The multishot ended: this was its last CQE.
            Backend.Unregister(_tag);
            _tag = 0;
            Backend.StreamEnded();
            if (!Closed)
            {
                switch (res)
                {
                    case 0:
                        _terminal = 0;
                        break;
                    case -Libc.ENOBUFS:
                        _noBuffers = true;
                        break;
                    case -Libc.ECANCELED:
                        break; // not asked for here (Close is): the submitting thread exited; armed again on demand
                    case -Libc.EINVAL:
                        Backend.MultishotRefused(); // a kernel without multishot receive: one-shot RECVs from now on
                        _noBuffers = true;
                        break;
                    case < 0:
                        _terminal = -res;
                        break;
                }
            }
        }

        var op = _receiver;
        if (op is null || Closed)
        {
            return 0;
        }

        if (_count > 0 || _terminal != NoTerminal)
        {
            _receiver = null;
            Deliver(op);
            return 1;
        }

        if (!Armed)
        {
            _receiver = null;
            if (_noBuffers)
            {
                _noBuffers = false;
                Backend.OneShotFallbacks++;
                op.SubmitOneShot();
            }
            else
            {
                Arm();
                _receiver = op;
            }
        }

        return 0;
    }

    private void Arm()
    {
        _tag = Backend.Register(this);
        Sqe* sqe = Backend.NextSqe();
        sqe->Opcode = OpRecv;
        sqe->Fd = Fd;
        sqe->Flags = SqeBufferSelect;
        sqe->IoPrio = RecvMultishot;
        sqe->BufIndex = UringBufferRing.Group;
        sqe->UserData = _tag;
        Backend.Push();
        Backend.StreamArmed();
    }

    /// <summary>Copies queued data into <paramref name="op"/>'s buffer (or reports the end / the error) and finishes it.</summary>
    private void Deliver(UringOp op)
    {
        if (_count == 0)
        {
            int errno = _terminal;
            if (errno > 0)
            {
                _terminal = NoTerminal; // an error is reported once; the next receive asks the kernel again
            }

            op.FinishReceive(0, errno);
            return;
        }

        op.FinishReceive(CopyOut(op.ReceiveBuffer.Span), 0);
    }

    /// <summary>
    /// A read without a receive operation, for a caller on the loop thread with no receive waiting here: copies what is
    /// queued into <paramref name="destination"/> and returns the bytes copied, 0 at a remembered end of stream, or −1
    /// when nothing is queued or an error waits (a receive then waits or reports it). The only way to read this socket
    /// besides <see cref="Receive"/>: a recv(2) on the descriptor would take bytes that arrived after those the multishot
    /// already holds, out of order.
    /// </summary>
    public int TryTake(Span<byte> destination)
    {
        if (_receiver is not null || destination.IsEmpty)
        {
            return -1;
        }

        if (_count == 0)
        {
            return _terminal == 0 ? 0 : -1;
        }

        return CopyOut(destination);
    }

    private int CopyOut(Span<byte> target)
    {
        var buffers = Backend.Buffers!;
        int copied = 0;
        while (_count > 0 && copied < target.Length)
        {
            int bid = _bids[_head];
            int available = _lengths[_head] - _offset;
            int n = Math.Min(available, target.Length - copied);
            new ReadOnlySpan<byte>(buffers.Buffer(bid) + _offset, n).CopyTo(target[copied..]);
            copied += n;
            if (n == available)
            {
                buffers.Recycle(bid);
                Pop();
            }
            else
            {
                _offset += n;
            }
        }

        return copied;
    }

    private void Push(ushort bid, int length)
    {
        if (_count == _bids.Length)
        {
            var bids = new ushort[_count * 2];
            var lengths = new int[_count * 2];
            for (int i = 0; i < _count; i++)
            {
                bids[i] = _bids[(_head + i) % _count];
                lengths[i] = _lengths[(_head + i) % _count];
            }

            _bids = bids;
            _lengths = lengths;
            _head = 0;
        }

        int at = (_head + _count) % _bids.Length;
        _bids[at] = bid;
        _lengths[at] = length;
        _count++;
    }

    private void Pop()
    {
        _head = (_head + 1) % _bids.Length;
        _count--;
        _offset = 0;
    }
}
