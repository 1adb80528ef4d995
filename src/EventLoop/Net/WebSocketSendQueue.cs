using System.Net.WebSockets;

namespace EventLoop.Net;

/// <summary>
/// Queued writes for one <see cref="WebSocketConnection"/> (libxev's <c>queueWrite</c>): <see cref="Enqueue"/> copies a
/// message into a bounded FIFO and returns at once; messages go out one after another, in order, on one internal
/// completion, without the caller juggling completions. Steady state allocates nothing on the loop side.
/// <para>Bounds: <c>maxMessages</c> and <c>maxBytes</c> queued (the message in flight counts until it is sent).
/// <see cref="Enqueue"/> throws a <see cref="InvalidOperationException"/> naming the bound that was hit;
/// <see cref="TryEnqueue"/> returns false instead. A full queue means the peer or the network is not keeping up: for
/// order entry, treat it as a dead connection.</para>
/// <para>Failure: the first failed (or timed-out, with <c>sendTimeout</c>) send faults the queue: the messages still
/// queued are dropped, <see cref="Fault"/> holds the error, the <c>onFault</c> callback runs once on the loop thread, and
/// every later enqueue throws. Traps: do not also call <see cref="WebSocketConnection.Send{TState}(Loop, Completion, ReadOnlyMemory{byte}, WebSocketMessageType, TState, Callback{TState})"/>
/// on the same connection (one send at a time is the runtime's rule). Loop thread only.</para>
/// </summary>
public sealed class WebSocketSendQueue
{
    private static readonly Callback<WebSocketSendQueue> OnSentCallback = OnSent;

    private readonly Loop _loop;
    private readonly OutgoingQueue _queue;
    private readonly Completion _send = new();
    private readonly TimeSpan _sendTimeout;
    private readonly Action<WebSocketSendQueue, Exception>? _onFault;

    /// <summary>Creates a queue for <paramref name="connection"/> on <paramref name="loop"/>.</summary>
    /// <param name="sendTimeout">Deadline of each send (<see cref="Timeout.InfiniteTimeSpan"/>: none); passing it faults the queue (and the runtime aborts the WebSocket).</param>
    /// <param name="onFault">Runs once, on the loop thread, when a send fails.</param>
    public WebSocketSendQueue(Loop loop, WebSocketConnection connection, int maxMessages = 1024, long maxBytes = 4 << 20, TimeSpan? sendTimeout = null, Action<WebSocketSendQueue, Exception>? onFault = null)
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(connection);
        _loop = loop;
        Connection = connection;
        _queue = new OutgoingQueue(maxMessages, maxBytes);
        _sendTimeout = sendTimeout ?? Timeout.InfiniteTimeSpan;
        _ = Loop.TimeoutTicksOf(_sendTimeout);
        _onFault = onFault;
    }

    /// <summary>The connection the messages go out on.</summary>
    public WebSocketConnection Connection { get; }

    /// <summary>Messages queued, including the one in flight.</summary>
    public int Count => _queue.Count;

    /// <summary>Bytes queued, including the message in flight.</summary>
    public long QueuedBytes => _queue.Bytes;

    /// <summary>Messages sent successfully so far.</summary>
    public long Sent { get; private set; }

    /// <summary>The failure that faulted the queue; null while healthy.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>Copies <paramref name="message"/> into the queue and starts sending if idle; throws when the queue is full or faulted.</summary>
    public void Enqueue(ReadOnlySpan<byte> message, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        if (!TryEnqueue(message, type))
        {
            throw Fault is not null
                ? new InvalidOperationException("the WebSocket send queue is faulted by an earlier send failure", Fault)
                : new InvalidOperationException(_queue.Count == _queue.MaxMessages
                    ? $"the WebSocket send queue is full ({_queue.MaxMessages} messages queued)"
                    : $"the WebSocket send queue is full ({_queue.Bytes} bytes queued, a {message.Length}-byte message would pass the {_queue.MaxBytes}-byte bound)");
        }
    }

    /// <summary>As <see cref="Enqueue"/>, but false (nothing queued) when full or faulted.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> message, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        _loop.CheckThread();
        if (Fault is not null || !_queue.TryAdd(message, type))
        {
            return false;
        }

        if (_queue.Count == 1)
        {
            SendHead();
        }

        return true;
    }

    private static CallbackAction OnSent(WebSocketSendQueue q, Loop loop, Completion c, in CompletionResult r)
    {
        if (!r.IsSuccess)
        {
            q.Fault = r.Exception ?? new WebSocketException("WebSocket send failed");
            q._queue.Clear();
            q._onFault?.Invoke(q, q.Fault);
            return CallbackAction.Disarm;
        }

        q.Sent++;
        q._queue.RemoveHead();
        if (q._queue.Count > 0)
        {
            q.SendHead();
        }

        return CallbackAction.Disarm;
    }

    private void SendHead()
    {
        var message = _queue.Head(out var type);
        Connection.Send(_loop, _send, message, type, _sendTimeout, this, OnSentCallback);
    }
}
