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

    internal CompletionResult(
        Operation operation,
        int bytesTransferred,
        SocketError socketError,
        Exception? exception,
        bool isCanceled,
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
        _value = value;
        MessageType = messageType;
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

    /// <summary>True when the operation was canceled (<see cref="Loop.CancelTimer"/>); the callback's return value is then ignored.</summary>
    public bool IsCanceled { get; }

    /// <summary>True when the operation succeeded: no socket error, no exception, not canceled.</summary>
    public bool IsSuccess => SocketError == SocketError.Success && Exception is null && !IsCanceled;

    /// <summary>The accepted connection of a successful <see cref="Operation.Accept"/>; the callback owns it.</summary>
    public Tcp? Accepted => _value as Tcp;

    /// <summary>The connected WebSocket of a successful <see cref="Operation.WebSocketConnect"/>; the callback owns it.</summary>
    public WebSocketConnection? WebSocket => _value as WebSocketConnection;

    /// <summary>Type of the received WebSocket message (<see cref="WebSocketMessageType.Close"/> when the peer started closing).</summary>
    public WebSocketMessageType MessageType { get; }

    /// <summary>
    /// True when the whole WebSocket message fits in the buffer. False only when the buffer filled first; the next
    /// receive continues the same message.
    /// </summary>
    public bool EndOfMessage { get; }

    /// <summary>The close status the peer sent, when <see cref="MessageType"/> is Close or after a close handshake.</summary>
    public WebSocketCloseStatus? CloseStatus { get; }
}
