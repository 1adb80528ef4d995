using System.Net.Sockets;
using System.Net.WebSockets;

namespace EventLoop.Net;

/// <summary>
/// Queued writes for one <see cref="Tcp"/> socket (libxev's <c>queueWrite</c>): <see cref="Enqueue"/> copies the bytes
/// into a bounded FIFO and returns at once; chunks go out one after another, in order, each completely, on one internal
/// completion. Same bounds, errors and fault rule as <see cref="WebSocketSendQueue"/>: <see cref="Enqueue"/> throws
/// naming the bound that was hit, <see cref="TryEnqueue"/> returns false; the first failed send drops what is queued,
/// sets <see cref="Fault"/> (a <see cref="SocketException"/>) and runs <c>onFault</c> once. Trap: do not also call
/// <see cref="Tcp.Send{TState}(Loop, Completion, ReadOnlyMemory{byte}, TState, Callback{TState})"/> on the same socket.
/// Loop thread only.
/// </summary>
public sealed class TcpSendQueue
{
    private static readonly Callback<TcpSendQueue> OnSentCallback = OnSent;

    private readonly Loop _loop;
    private readonly OutgoingQueue _queue;
    private readonly Completion _send = new();
    private readonly TimeSpan _sendTimeout;
    private readonly Action<TcpSendQueue, Exception>? _onFault;

    /// <summary>Creates a queue for <paramref name="socket"/> on <paramref name="loop"/>.</summary>
    public TcpSendQueue(Loop loop, Tcp socket, int maxChunks = 1024, long maxBytes = 4 << 20, TimeSpan? sendTimeout = null, Action<TcpSendQueue, Exception>? onFault = null)
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(socket);
        _loop = loop;
        Socket = socket;
        _queue = new OutgoingQueue(maxChunks, maxBytes);
        _sendTimeout = sendTimeout ?? Timeout.InfiniteTimeSpan;
        _ = Loop.TimeoutTicksOf(_sendTimeout);
        _onFault = onFault;
    }

    /// <summary>The socket the bytes go out on.</summary>
    public Tcp Socket { get; }

    /// <summary>Chunks queued, including the one in flight.</summary>
    public int Count => _queue.Count;

    /// <summary>Bytes queued, including the chunk in flight.</summary>
    public long QueuedBytes => _queue.Bytes;

    /// <summary>Bytes sent successfully so far.</summary>
    public long SentBytes { get; private set; }

    /// <summary>The failure that faulted the queue; null while healthy.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>Copies <paramref name="data"/> into the queue and starts sending if idle; throws when the queue is full or faulted.</summary>
    public void Enqueue(ReadOnlySpan<byte> data)
    {
        if (!TryEnqueue(data))
        {
            throw Fault is not null
                ? new InvalidOperationException("the TCP send queue is faulted by an earlier send failure", Fault)
                : new InvalidOperationException(_queue.Count == _queue.MaxMessages
                    ? $"the TCP send queue is full ({_queue.MaxMessages} chunks queued)"
                    : $"the TCP send queue is full ({_queue.Bytes} bytes queued, {data.Length} more would pass the {_queue.MaxBytes}-byte bound)");
        }
    }

    /// <summary>As <see cref="Enqueue"/>, but false (nothing queued) when full or faulted.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> data)
    {
        _loop.CheckThread();
        if (Fault is not null || !_queue.TryAdd(data, WebSocketMessageType.Binary))
        {
            return false;
        }

        if (_queue.Count == 1)
        {
            SendHead();
        }

        return true;
    }

    private static CallbackAction OnSent(TcpSendQueue q, Loop loop, Completion c, in CompletionResult r)
    {
        if (!r.IsSuccess)
        {
            q.Fault = r.Exception ?? new SocketException((int)r.SocketError);
            q._queue.Clear();
            q._onFault?.Invoke(q, q.Fault);
            return CallbackAction.Disarm;
        }

        q.SentBytes += r.BytesTransferred;
        q._queue.RemoveHead();
        if (q._queue.Count > 0)
        {
            q.SendHead();
        }

        return CallbackAction.Disarm;
    }

    private void SendHead()
    {
        var chunk = _queue.Head(out _);
        Socket.Send(_loop, _send, chunk, _sendTimeout, this, OnSentCallback);
    }
}
