using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// A <see cref="Stream"/> over a <see cref="Tcp"/> whose reads and writes are loop completions: an awaiting
/// continuation runs inline in the completion's callback, on the loop thread. Wrapped in an
/// <see cref="System.Net.Security.SslStream"/> and given to <see cref="System.Net.WebSockets.WebSocket.CreateFromStream(Stream, System.Net.WebSockets.WebSocketCreationOptions)"/>,
/// TLS and WebSocket framing run entirely on the loop thread (see <see cref="LoopWebSocket"/>).
/// <para>Reads are buffered: the stream owns a receive buffer (<see cref="DefaultReceiveBufferSize"/>) filled by one
/// large receive, and a read served from it completes synchronously (the WebSocket asks for a frame header, then its
/// payload: many small reads per receive). When the buffer is empty, a read on the loop thread first tries a
/// non-blocking <c>recv</c> (MSG_DONTWAIT, Linux) inline, and only if the socket holds nothing arms a loop receive:
/// at speed a read costs a memcpy, not a loop round. A write likewise tries a non-blocking <c>send</c> inline and arms
/// a loop send only for what the socket would not take. Nothing here allocates per read or write.</para>
/// <para>Threads: call it on the loop thread (or while no Run is in progress); a read or write started on another
/// thread (the runtime's keep-alive PING timer) is handed to the loop thread through <see cref="Loop.Post{TState}"/>
/// and completes there. A cancellation token cancels the completion (on the loop thread).</para>
/// <para>Traps: asynchronous only (a synchronous Read or Write would block the loop thread and throws); one read and
/// one write in flight at a time (the Stream contract SslStream and the WebSocket keep); a zero-byte read returns 0
/// at once rather than waiting for data; bytes already buffered are dropped by Dispose (and by a canceled read's
/// abort of the WebSocket).</para>
/// </summary>
public sealed class LoopStream : Stream
{
    /// <summary>The receive buffer's size: one receive takes up to this much of what the socket holds.</summary>
    public const int DefaultReceiveBufferSize = 16 * 1024;

    private static readonly Callback<LoopStream> OnRead = static (s, _, _, in r) => s.FinishRead(in r);
    private static readonly Callback<LoopStream> OnWrite = static (s, _, _, in r) => s.FinishWrite(in r);
    private static readonly Callback<LoopStream> StartReadOnLoop = static (s, _, _, in _) =>
    {
        s.StartRead();
        return CallbackAction.Disarm;
    };

    private static readonly Callback<LoopStream> StartWriteOnLoop = static (s, _, _, in _) =>
    {
        s.StartWrite();
        return CallbackAction.Disarm;
    };

    private readonly Loop _loop;
    private readonly Completion _rx = new();
    private readonly Completion _tx = new();
    private readonly Completion _rxPost = new();
    private readonly Completion _txPost = new();
    private readonly LoopIoSource _read = new();
    private readonly LoopIoSource _write = new();
    private readonly byte[] _rxBuffer; // pinned (POH): the kernel may write it while a loop receive is in flight
    private readonly System.Net.Sockets.SafeSocketHandle _handle;
    private readonly bool _inline; // Linux: non-blocking recv/send on the descriptor are available
    private int _rxStart;
    private int _rxEnd;
    private Memory<byte> _readBuffer; // the pending read's destination
    private bool _readDirect; // the pending loop receive writes into _readBuffer itself (a large read with nothing buffered)
    private ReadOnlyMemory<byte> _writeData; // what the pending loop send still has to write
    private int _writeTotal;
    private CancellationTokenRegistration _readRegistration;
    private CancellationTokenRegistration _writeRegistration;
    private int _disposed;

    /// <summary>Wraps a connected <paramref name="tcp"/> driven by <paramref name="loop"/>; the stream owns the socket (Dispose closes it).</summary>
    public LoopStream(Loop loop, Tcp tcp)
        : this(loop, tcp, DefaultReceiveBufferSize)
    {
    }

    /// <summary>As <see cref="LoopStream(Loop, Tcp)"/> with a receive buffer of <paramref name="receiveBufferSize"/> bytes (at least 1).</summary>
    public LoopStream(Loop loop, Tcp tcp, int receiveBufferSize)
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(tcp);
        ArgumentOutOfRangeException.ThrowIfLessThan(receiveBufferSize, 1);
        _loop = loop;
        Socket = tcp;
        _rxBuffer = GC.AllocateUninitializedArray<byte>(receiveBufferSize, pinned: true);
        _handle = tcp.Socket.SafeHandle;
        _inline = OperatingSystem.IsLinux();
    }

    /// <summary>The socket under the stream.</summary>
    public Tcp Socket { get; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Test hook: reads and writes started off the loop thread (each cost a hand-over).</summary>
    internal int ForeignStarts { get; private set; }

    /// <summary>Test hook: reads served from the buffer or by an inline recv (no loop round).</summary>
    internal long SyncReads { get; private set; }

    /// <summary>Test hook: reads that armed a loop receive.</summary>
    internal long LoopReads { get; private set; }

    /// <summary>Test hook: writes finished entirely by an inline send.</summary>
    internal long SyncWrites { get; private set; }

    /// <summary>Test hook: bytes received and not yet read.</summary>
    internal int Buffered => _rxEnd - _rxStart;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return ValueTask.FromException<int>(new ObjectDisposedException(nameof(LoopStream)));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        if (buffer.IsEmpty)
        {
            return new ValueTask<int>(0);
        }

        if (_rxEnd > _rxStart)
        {
            SyncReads++;
            return new ValueTask<int>(TakeBuffered(buffer.Span));
        }

        bool onLoop = OnLoopThread;
        if (onLoop && _inline)
        {
            // Large reads go straight to the caller's buffer; small ones fill ours and take their part of it.
            bool direct = buffer.Length >= _rxBuffer.Length;
            int n = TryRecv(direct ? buffer.Span : _rxBuffer);
            if (n >= 0)
            {
                SyncReads++;
                if (direct || n == 0)
                {
                    return new ValueTask<int>(n);
                }

                _rxStart = 0;
                _rxEnd = n;
                return new ValueTask<int>(TakeBuffered(buffer.Span));
            }
        }

        LoopReads++;
        _read.Reset();
        _readBuffer = buffer;
        _readDirect = buffer.Length >= _rxBuffer.Length;
        var task = new ValueTask<int>(_read, _read.Version);
        if (cancellationToken.CanBeCanceled)
        {
            _readRegistration = cancellationToken.UnsafeRegister(static s => ((LoopStream)s!).CancelOnLoop(((LoopStream)s!)._rx), this);
        }

        if (onLoop)
        {
            StartRead();
        }
        else
        {
            ForeignStarts++;
            _loop.Post(_rxPost, this, StartReadOnLoop);
        }

        return task;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return ValueTask.FromException(new ObjectDisposedException(nameof(LoopStream)));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (buffer.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        bool onLoop = OnLoopThread;
        int sent = 0;
        if (onLoop && _inline)
        {
            sent = TrySend(buffer.Span);
            if (sent == buffer.Length)
            {
                SyncWrites++;
                return ValueTask.CompletedTask;
            }
        }

        _write.Reset();
        _writeData = buffer[sent..];
        _writeTotal = buffer.Length;
        var task = new ValueTask(_write, _write.Version);
        if (cancellationToken.CanBeCanceled)
        {
            _writeRegistration = cancellationToken.UnsafeRegister(static s => ((LoopStream)s!).CancelOnLoop(((LoopStream)s!)._tx), this);
        }

        if (onLoop)
        {
            StartWrite();
        }
        else
        {
            ForeignStarts++;
            _loop.Post(_txPost, this, StartWriteOnLoop);
        }

        return task;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
        => throw new NotSupportedException("LoopStream is asynchronous only: a synchronous read would block the loop thread");

    public override void Write(byte[] buffer, int offset, int count)
        => throw new NotSupportedException("LoopStream is asynchronous only: a synchronous write would block the loop thread");

    public override void Flush()
    {
        // Nothing is buffered on the way out: a completed write is with the kernel.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Socket.Dispose(); // pending reads and writes complete aborted (on the loop thread)
        }

        base.Dispose(disposing);
    }

    private bool OnLoopThread => _loop.IsLoopThread || !_loop.IsRunning;

    private void StartRead() => Socket.Receive(_loop, _rx, _readDirect ? _readBuffer : _rxBuffer, this, OnRead);

    private void StartWrite() => Socket.Send(_loop, _tx, _writeData, this, OnWrite);

    /// <summary>Copies what fits of the buffered bytes into <paramref name="destination"/>.</summary>
    private int TakeBuffered(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, _rxEnd - _rxStart);
        _rxBuffer.AsSpan(_rxStart, n).CopyTo(destination);
        _rxStart += n;
        if (_rxStart == _rxEnd)
        {
            _rxStart = _rxEnd = 0;
        }

        return n;
    }

    /// <summary>
    /// A non-blocking recv into <paramref name="destination"/>: bytes received (0: the peer closed), or -1 if the
    /// socket holds nothing or failed (the loop receive then waits, or reports the error the usual way).
    /// </summary>
    private unsafe int TryRecv(Span<byte> destination)
    {
        if (Socket.BackendState is Backends.UringRecvStream stream)
        {
            // io_uring's multishot receive reads this socket ahead into its buffer ring: a recv(2) here would take
            // later bytes before those, so what it holds is taken instead; when it holds nothing, the kernel may still
            // wait for this thread to run the multishot's recv of what arrived (run now: one enter, no loop round).
            int n = stream.TryTake(destination);
            if (n < 0 && stream.Armed)
            {
                stream.Backend.RunPendingCompletions();
                n = stream.TryTake(destination);
            }

            return n;
        }

        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added); // the descriptor cannot be closed (and its number reused) under the call
            int fd = (int)_handle.DangerousGetHandle();
            fixed (byte* p = destination)
            {
                while (true)
                {
                    nint n = Backends.Libc.Recv(fd, p, (nuint)destination.Length, Backends.Libc.MSG_DONTWAIT);
                    if (n >= 0)
                    {
                        return (int)n;
                    }

                    if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Backends.Libc.EINTR)
                    {
                        return -1;
                    }
                }
            }
        }
        catch (ObjectDisposedException)
        {
            return -1; // closed meanwhile: the loop receive reports it
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>Non-blocking sends of <paramref name="data"/> until it is all out or the socket would block (or failed); returns how much went.</summary>
    private unsafe int TrySend(ReadOnlySpan<byte> data)
    {
        bool added = false;
        int sent = 0;
        try
        {
            _handle.DangerousAddRef(ref added);
            int fd = (int)_handle.DangerousGetHandle();
            fixed (byte* p = data)
            {
                while (sent < data.Length)
                {
                    nint n = Backends.Libc.Send(fd, p + sent, (nuint)(data.Length - sent), Backends.Libc.MSG_DONTWAIT | Backends.Libc.MSG_NOSIGNAL);
                    if (n > 0)
                    {
                        sent += (int)n;
                    }
                    else if (n < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Backends.Libc.EINTR)
                    {
                        continue;
                    }
                    else
                    {
                        break; // would block or failed: the loop send goes on from here (and reports an error)
                    }
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // closed meanwhile: the loop send reports it
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }

        return sent;
    }

    /// <summary>A token fired: cancel the operation on the loop thread (the token may fire anywhere).</summary>
    private void CancelOnLoop(Completion c)
    {
        if (OnLoopThread)
        {
            _loop.Cancel(c);
            return;
        }

        _loop.Post(new Completion(), c, static (target, l, _, in _) =>
        {
            l.Cancel(target);
            return CallbackAction.Disarm;
        });
    }

    /// <summary>The callback of a loop receive: completes the awaiting ValueTask, whose continuation runs right here, inline.</summary>
    private CallbackAction FinishRead(in CompletionResult r)
    {
        // Before the continuation: it may start the next operation and register again.
        _readRegistration.Unregister(); // never waits for a callback running elsewhere (Dispose would block the loop)
        _readRegistration = default;
        if (r.IsSuccess)
        {
            int n = r.BytesTransferred;
            if (!_readDirect && n > 0)
            {
                _rxStart = 0;
                _rxEnd = n;
                n = TakeBuffered(_readBuffer.Span);
            }

            _readBuffer = default;
            _read.SetResult(n);
        }
        else
        {
            _readBuffer = default;
            _read.SetException(Failure(in r));
        }

        return CallbackAction.Disarm;
    }

    /// <summary>The callback of a loop send (of what the inline send left): completes the awaiting ValueTask inline.</summary>
    private CallbackAction FinishWrite(in CompletionResult r)
    {
        _writeRegistration.Unregister();
        _writeRegistration = default;
        _writeData = default;
        if (r.IsSuccess)
        {
            _write.SetResult(_writeTotal);
        }
        else
        {
            _write.SetException(Failure(in r));
        }

        return CallbackAction.Disarm;
    }

    private static Exception Failure(in CompletionResult r)
        => r.IsCanceled || r.IsTimedOut
            ? new OperationCanceledException("the loop stream operation was canceled")
            : new IOException($"loop stream {r.Operation} failed: {r.SocketError}", r.Exception ?? new System.Net.Sockets.SocketException((int)r.SocketError));
}
