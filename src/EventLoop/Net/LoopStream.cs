using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// A <see cref="Stream"/> over a <see cref="Tcp"/> whose reads and writes are loop completions: an awaiting
/// continuation runs inline in the completion's callback, on the loop thread. Wrapped in an
/// <see cref="System.Net.Security.SslStream"/> and given to <see cref="System.Net.WebSockets.WebSocket.CreateFromStream(Stream, System.Net.WebSockets.WebSocketCreationOptions)"/>,
/// TLS and WebSocket framing run entirely on the loop thread (see <see cref="LoopWebSocket"/>).
/// <para>Threads: call it on the loop thread (or while no Run is in progress); a read or write started on another
/// thread (the runtime's keep-alive PING timer) is handed to the loop thread through <see cref="Loop.Post{TState}"/>
/// and completes there. A cancellation token cancels the completion (on the loop thread).</para>
/// <para>Traps: asynchronous only (a synchronous Read or Write would block the loop thread and throws); one read and
/// one write in flight at a time (the Stream contract SslStream and the WebSocket keep); a zero-byte read returns 0
/// at once rather than waiting for data.</para>
/// </summary>
public sealed class LoopStream : Stream
{
    private static readonly Callback<LoopStream> OnRead = static (s, _, _, in r) => s.Finish(read: true, in r);
    private static readonly Callback<LoopStream> OnWrite = static (s, _, _, in r) => s.Finish(read: false, in r);
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
    private Memory<byte> _readBuffer;
    private ReadOnlyMemory<byte> _writeData;
    private CancellationTokenRegistration _readRegistration;
    private CancellationTokenRegistration _writeRegistration;
    private int _disposed;

    /// <summary>Wraps a connected <paramref name="tcp"/> driven by <paramref name="loop"/>; the stream owns the socket (Dispose closes it).</summary>
    public LoopStream(Loop loop, Tcp tcp)
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(tcp);
        _loop = loop;
        Socket = tcp;
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

        _read.Reset();
        _readBuffer = buffer;
        var task = new ValueTask<int>(_read, _read.Version);
        if (cancellationToken.CanBeCanceled)
        {
            _readRegistration = cancellationToken.UnsafeRegister(static s => ((LoopStream)s!).CancelOnLoop(((LoopStream)s!)._rx), this);
        }

        if (OnLoopThread)
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

        _write.Reset();
        _writeData = buffer;
        var task = new ValueTask(_write, _write.Version);
        if (cancellationToken.CanBeCanceled)
        {
            _writeRegistration = cancellationToken.UnsafeRegister(static s => ((LoopStream)s!).CancelOnLoop(((LoopStream)s!)._tx), this);
        }

        if (OnLoopThread)
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
        // Nothing is buffered here: a completed write is with the kernel.
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

    private void StartRead() => Socket.Receive(_loop, _rx, _readBuffer, this, OnRead);

    private void StartWrite() => Socket.Send(_loop, _tx, _writeData, this, OnWrite);

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

    /// <summary>The callback of a read or write: completes the awaiting ValueTask, whose continuation runs right here, inline.</summary>
    private CallbackAction Finish(bool read, in CompletionResult r)
    {
        // Before the continuation: it may start the next operation and register again.
        if (read)
        {
            _readRegistration.Unregister(); // never waits for a callback running elsewhere (Dispose would block the loop)
            _readRegistration = default;
        }
        else
        {
            _writeRegistration.Unregister();
            _writeRegistration = default;
        }

        var source = read ? _read : _write;
        if (r.IsSuccess)
        {
            source.SetResult(r.BytesTransferred);
        }
        else if (r.IsCanceled || r.IsTimedOut)
        {
            source.SetException(new OperationCanceledException("the loop stream operation was canceled"));
        }
        else
        {
            source.SetException(new IOException($"loop stream {r.Operation} failed: {r.SocketError}", r.Exception ?? new SocketException((int)r.SocketError)));
        }

        return CallbackAction.Disarm;
    }
}
