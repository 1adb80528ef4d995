using System.Net.Sockets;
using System.Net.WebSockets;
using EventLoop.Net;

namespace EventLoop;

/// <summary>
/// The outcome of one operation, passed by reference to the callback and valid only during that call.
/// Errors are values, not exceptions: socket operations report <see cref="SocketError"/>, WebSocket and offload
/// operations report <see cref="Exception"/>, a canceled timer reports <see cref="IsCanceled"/>.
/// </summary>
public readonly struct CompletionResult
{
    private readonly object? _value;
    private readonly WebSocketMessageType _messageType;

    internal CompletionResult(
        Operation operation,
        int bytesTransferred,
        SocketError socketError,
        Exception? exception,
        bool isCanceled,
        bool isTimedOut,
        object? value,
        WebSocketMessageType messageType,
        bool endOfMessage,
        WebSocketCloseStatus? closeStatus)
    {
        Operation = operation;
        BytesTransferred = bytesTransferred;
        SocketError = socketError;
        Exception = exception;
        IsCanceled = isCanceled;
        IsTimedOut = isTimedOut;
        _value = value;
        _messageType = messageType;
        EndOfMessage = endOfMessage;
        CloseStatus = closeStatus;
    }

    /// <summary>The operation that finished.</summary>
    public Operation Operation { get; }

    /// <summary>
    /// Bytes received or sent. For a TCP receive, 0 with <see cref="SocketError.Success"/> means the peer shut down its
    /// side (end of stream). For a WebSocket receive, the bytes of the message written to the caller's buffer.
    /// </summary>
    public int BytesTransferred { get; }

    /// <summary>The socket error of a TCP operation; <see cref="SocketError.Success"/> otherwise.</summary>
    public SocketError SocketError { get; }

    /// <summary>The failure of a WebSocket or offload operation (or a socket call that threw); null on success.</summary>
    public Exception? Exception { get; }

    /// <summary>
    /// True when <see cref="Loop.Cancel"/> (or <see cref="Loop.CancelTimer"/>, or <see cref="Loop.Shutdown"/>) ended the
    /// operation; the callback's return value is then ignored (a canceled completion is never re-armed).
    /// </summary>
    public bool IsCanceled { get; }

    /// <summary>True when the operation's own deadline (the <c>timeout</c> it was submitted with) passed first; like <see cref="IsCanceled"/>, Rearm is then ignored.</summary>
    public bool IsTimedOut { get; }

    /// <summary>True when the operation succeeded: no socket error, no exception, not canceled, not timed out.</summary>
    public bool IsSuccess => SocketError == SocketError.Success && Exception is null && !IsCanceled && !IsTimedOut;

    /// <summary>
    /// The value a successful <see cref="Operation.Await"/> of a <c>Task&lt;T&gt;</c> or a result-returning
    /// <see cref="Operation.Offload"/> produced (boxed if a value type); the accepted <see cref="Tcp"/> or connected
    /// <see cref="WebSocketConnection"/> otherwise. Null on failure.
    /// </summary>
    public object? Value => _value;

    /// <summary>The accepted connection of a successful <see cref="Operation.Accept"/>; the callback owns it.</summary>
    public Tcp? Accepted => _value as Tcp;

    /// <summary>The connected WebSocket of a successful <see cref="Operation.WebSocketConnect"/>; the callback owns it.</summary>
    public WebSocketConnection? WebSocket => _value as WebSocketConnection;

    /// <summary>
    /// Type of the received WebSocket message (<see cref="WebSocketMessageType.Close"/> when the peer started closing).
    /// Trap avoided: a failed, canceled or timed-out WebSocket receive has no message type, and reading it throws
    /// <see cref="InvalidOperationException"/> rather than returning <c>Text</c> (the enum's zero); check
    /// <see cref="IsSuccess"/> (or <see cref="HasMessage"/>) first.
    /// </summary>
    public WebSocketMessageType MessageType
    {
        get
        {
            if (Operation == Operation.WebSocketReceive && !IsSuccess)
            {
                throw new InvalidOperationException("the WebSocket receive failed; it carries no message (check IsSuccess or Exception first)", Exception);
            }

            return _messageType;
        }
    }

    /// <summary>True for a successful WebSocket receive: <see cref="MessageType"/> and <see cref="BytesTransferred"/> describe a message (or the peer's close).</summary>
    public bool HasMessage => Operation == Operation.WebSocketReceive && IsSuccess;

    /// <summary>
    /// True when the whole WebSocket message fits in the buffer. False only when the buffer filled first; the next
    /// receive continues the same message.
    /// </summary>
    public bool EndOfMessage { get; }

    /// <summary>The close status the peer sent, when <see cref="MessageType"/> is Close or after a close handshake.</summary>
    public WebSocketCloseStatus? CloseStatus { get; }
}
