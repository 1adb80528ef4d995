using System.Net.WebSockets;

namespace EventLoop.Net;

/// <summary>
/// A WebSocket driven by a <see cref="Loop"/>: each connect, message receive, send and close handshake is one
/// loop completion. Framing, masking, ping/pong and close frames are System.Net.WebSockets' (never hand-written here).
/// Wraps any <see cref="System.Net.WebSockets.WebSocket"/>: a <see cref="ClientWebSocket"/> from
/// <see cref="Connect{TState}"/> (ws:// or wss://), or a server-side one (e.g. from ASP.NET Core's
/// <c>AcceptWebSocketAsync</c>).
/// <para>Keep-alive is the runtime's: set <see cref="ClientWebSocketOptions.KeepAliveInterval"/> (and
/// <see cref="ClientWebSocketOptions.KeepAliveTimeout"/> to send PINGs and abort a connection whose PONG does not come)
/// in the <c>configure</c> callback of <see cref="Connect{TState}"/>, or in <c>WebSocketAcceptContext</c> on a server.
/// Incoming PINGs are answered by the runtime while a receive is pending, so keep one receive armed (Rearm).</para>
/// <para>Allocation: receive and send hook the runtime's pooled ValueTasks with a cached continuation, so in steady
/// state they allocate nothing on the loop side; the runtime may still allocate when a send has to wait for the
/// socket. Connect and close are Task-based and allocate (rare operations).</para>
/// <para>Traps: one receive and one send in flight at a time (each with its own completion). After a receive reports
/// <see cref="WebSocketMessageType.Close"/>, answer with <see cref="Close{TState}"/> to finish the handshake.</para>
/// </summary>
public sealed class WebSocketConnection : IDisposable
{
    /// <summary>Wraps <paramref name="webSocket"/>; the connection now owns it.</summary>
    public WebSocketConnection(WebSocket webSocket)
    {
        ArgumentNullException.ThrowIfNull(webSocket);
        WebSocket = webSocket;
    }

    private Loop? _trackedBy; // the loop that knows this connection (for Loop.Shutdown)

    /// <summary>The underlying WebSocket.</summary>
    public WebSocket WebSocket { get; }

    /// <summary>
    /// Opens a client WebSocket to <paramref name="uri"/> (ws:// or wss://); <see cref="CompletionResult.WebSocket"/> is
    /// the connection (owned by the callback), or <see cref="CompletionResult.Exception"/> says why not.
    /// <paramref name="configure"/> sets options before connecting: request headers
    /// (<see cref="ClientWebSocketOptions.SetRequestHeader"/>, e.g. an API key), sub-protocols
    /// (<see cref="ClientWebSocketOptions.AddSubProtocol"/>; the one chosen is <see cref="WebSocket.SubProtocol"/>),
    /// keep-alive, TLS (<see cref="ClientWebSocketOptions.RemoteCertificateValidationCallback"/>). Rearm connects again
    /// with a fresh socket (a reconnect). Trap: without a timeout a connect to a host that never answers waits for the
    /// OS; prefer the overload with one.
    /// </summary>
    public static void Connect<TState>(Loop loop, Completion c, Uri uri, Action<ClientWebSocketOptions>? configure, TState state, Callback<TState> callback)
        where TState : class?
        => Connect(loop, c, uri, configure, Timeout.InfiniteTimeSpan, state, callback);

    /// <summary>
    /// Connect with a deadline covering the TCP connect, the TLS handshake and the HTTP upgrade: past it the attempt is
    /// aborted and the callback sees <see cref="CompletionResult.IsTimedOut"/> (with a <see cref="TimeoutException"/>).
    /// </summary>
    public static void Connect<TState>(Loop loop, Completion c, Uri uri, Action<ClientWebSocketOptions>? configure, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(uri);
        Arm(loop, c, Operation.WebSocketConnect, null, timeout, state, callback);
        c.Uri = uri;
        c.Configure = configure;
        Begin(loop, c);
    }

    /// <summary>
    /// Receives one message into <paramref name="buffer"/> (all its frames); <see cref="CompletionResult.BytesTransferred"/>
    /// is its length and <see cref="CompletionResult.MessageType"/> its type. If the message is longer than the buffer,
    /// the completion reports a full buffer with <see cref="CompletionResult.EndOfMessage"/> false and the next receive
    /// continues the message. Rearm receives the next message into the same buffer. A failed receive (the peer vanished,
    /// the keep-alive PONG did not come) has <see cref="CompletionResult.Exception"/> set and no message type.
    /// </summary>
    public void Receive<TState>(Loop loop, Completion c, Memory<byte> buffer, TState state, Callback<TState> callback)
        where TState : class?
        => Receive(loop, c, buffer, Timeout.InfiniteTimeSpan, state, callback);

    /// <summary>Receive with a deadline. Trap: when it passes, the runtime aborts the WebSocket (a canceled receive always does).</summary>
    public void Receive<TState>(Loop loop, Completion c, Memory<byte> buffer, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        Arm(loop, c, Operation.WebSocketReceive, this, timeout, state, callback);
        c.Buffer = buffer;
        Begin(loop, c);
    }

    /// <summary>
    /// Sends <paramref name="message"/> as one message of <paramref name="type"/>. Rearm sends the same bytes again.
    /// One send at a time per connection: use <see cref="WebSocketSendQueue"/> to send without waiting.
    /// </summary>
    public void Send<TState>(Loop loop, Completion c, ReadOnlyMemory<byte> message, WebSocketMessageType type, TState state, Callback<TState> callback)
        where TState : class?
        => Send(loop, c, message, type, Timeout.InfiniteTimeSpan, state, callback);

    /// <summary>Send with a deadline. Trap: when it passes, the runtime aborts the WebSocket.</summary>
    public void Send<TState>(Loop loop, Completion c, ReadOnlyMemory<byte> message, WebSocketMessageType type, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        Arm(loop, c, Operation.WebSocketSend, this, timeout, state, callback);
        c.Buffer = System.Runtime.InteropServices.MemoryMarshal.AsMemory(message);
        c.SendType = type;
        c.SendEndOfMessage = true;
        Begin(loop, c);
    }

    /// <summary>
    /// Runs the close handshake (sends a close frame, waits for the peer's); <see cref="CompletionResult.CloseStatus"/> is
    /// the status the peer sent. Do not run it while a receive is pending on a connection whose peer may keep sending.
    /// Trap: a peer that never answers stalls it; prefer the overload with a timeout.
    /// </summary>
    public void Close<TState>(Loop loop, Completion c, WebSocketCloseStatus status, string? description, TState state, Callback<TState> callback)
        where TState : class?
        => Close(loop, c, status, description, Timeout.InfiniteTimeSpan, state, callback);

    /// <summary>
    /// Close handshake with a deadline: past it the WebSocket is aborted and the callback sees
    /// <see cref="CompletionResult.IsTimedOut"/>. Trap: once the peer's close frame has arrived, the runtime's client
    /// waits up to about 1 s for the server to drop the TCP connection (observed not to be cut short by the deadline), so the callback
    /// can come that much after the deadline.
    /// </summary>
    public void Close<TState>(Loop loop, Completion c, WebSocketCloseStatus status, string? description, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        Arm(loop, c, Operation.WebSocketClose, this, timeout, state, callback);
        c.CloseStatusArgument = status;
        c.CloseDescription = description;
        Begin(loop, c);
    }

    /// <summary>Aborts and disposes the WebSocket at once, outside the loop.</summary>
    public void Dispose() => WebSocket.Dispose();

    /// <summary>(Re)starts a WebSocket operation. Loop thread.</summary>
    internal static void Start(Loop loop, Completion c)
    {
        var op = c.WebSocketOp ??= new WebSocketOp(c);
        switch (c.Operation)
        {
            case Operation.WebSocketConnect:
                op.StartConnect();
                break;
            case Operation.WebSocketReceive:
                op.StartReceive(((WebSocketConnection)c.Owner!).WebSocket);
                break;
            case Operation.WebSocketSend:
                op.StartSend(((WebSocketConnection)c.Owner!).WebSocket);
                break;
            case Operation.WebSocketClose:
                op.StartClose(((WebSocketConnection)c.Owner!).WebSocket);
                break;
            default:
                throw new InvalidOperationException($"not a WebSocket operation: {c.Operation}");
        }
    }

    /// <summary>Checks and arms <paramref name="c"/> (throwing, with nothing changed, if it is active); the caller writes the inputs next.</summary>
    private static void Arm<TState>(Loop loop, Completion c, Operation op, WebSocketConnection? owner, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(c);
        loop.CheckThread();
        long timeoutTicks = Loop.TimeoutTicksOf(timeout);
        c.Arm(loop, op, state, callback);
        c.Owner = owner;
        c.TimeoutTicks = timeoutTicks;
        if (owner is not null && !ReferenceEquals(owner._trackedBy, loop))
        {
            owner._trackedBy = loop;
            loop.Track(owner);
        }
    }

    private static void Begin(Loop loop, Completion c)
    {
        loop.Submitted(c);
        loop.StartDeadline(c);
        Start(loop, c);
    }
}
