using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// The socket machinery of one completion, created on its first TCP operation and reused: a cancellation source and
/// the cached continuations that watch the socket's pooled ValueTasks (<see cref="Socket.ReceiveAsync(Memory{byte}, SocketFlags, CancellationToken)"/>
/// and friends reuse one event-args object per socket and direction, and a cached <see cref="Action"/> is hooked as
/// is), so that steady-state receive and send allocate nothing. The token is what makes every operation cancelable
/// without closing the socket: <see cref="Cancel"/> removes the pending operation, which then completes, and only
/// then does the completion reach the loop. Continuations run on the runtime's I/O threads (or inline when the
/// operation finished at once); only the final hand-over touches the loop.
/// </summary>
internal sealed class TcpOp
{
    private readonly Completion _c;
    private readonly Action _onIo;
    private readonly Action _onAccept;
    private readonly Action _onConnect;
    private CancellationTokenSource _cts = new();
    private ValueTask<int> _io;
    private ValueTask<Socket> _accept;
    private ValueTask _connect;

    public TcpOp(Completion c)
    {
        _c = c;
        _onIo = ContinueIo;
        _onAccept = ContinueAccept;
        _onConnect = ContinueConnect;
    }

    /// <summary>Starts the completion's accept, connect, receive or send. Loop thread. Never throws: a failure to start is the result.</summary>
    public void Start(Socket socket)
    {
        if (_cts.IsCancellationRequested)
        {
            _cts.Dispose();
            _cts = new CancellationTokenSource(); // a canceled source cannot be reset; cancels are rare
        }

        var token = _cts.Token;
        try
        {
            switch (_c.Operation)
            {
                case Operation.Accept:
                    _accept = socket.AcceptAsync(token);
                    ContinueAccept();
                    return;
                case Operation.Connect:
                    _connect = socket.ConnectAsync(_c.RemoteEndPoint!, token);
                    ContinueConnect();
                    return;
                case Operation.Receive:
                    _io = socket.ReceiveAsync(_c.Buffer, SocketFlags.None, token);
                    ContinueIo();
                    return;
                case Operation.Send:
                    _io = socket.SendAsync((ReadOnlyMemory<byte>)_c.Buffer, SocketFlags.None, token);
                    ContinueIo();
                    return;
                default:
                    throw new InvalidOperationException($"not an asynchronous socket operation: {_c.Operation}");
            }
        }
        catch (Exception e)
        {
            Fail(_c, e);
            _c.Loop!.Complete(_c);
        }
    }

    /// <summary>Loop thread: asks the pending operation to stop; it completes (on whichever thread) and reaches the loop once.</summary>
    public void Cancel() => _cts.Cancel();

    /// <summary>Records a failure the way socket operations report it: as a <see cref="SocketError"/>; anything else also as the exception.</summary>
    internal static void Fail(Completion c, Exception e)
    {
        switch (e)
        {
            case SocketException se:
                c.ResultSocketError = se.SocketErrorCode;
                break;
            case ObjectDisposedException:
            case OperationCanceledException:
                c.ResultSocketError = SocketError.OperationAborted;
                break;
            default:
                c.ResultSocketError = SocketError.SocketError;
                c.ResultException = e;
                break;
        }
    }

    private void ContinueIo()
    {
        if (!_io.IsCompleted)
        {
            _io.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onIo);
            return;
        }

        try
        {
            // Only reached once the operation completed: GetResult reads its outcome, it never blocks.
            _c.ResultBytes = _io.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Fail(_c, e);
        }

        _io = default;
        _c.Loop!.Complete(_c);
    }

    private void ContinueAccept()
    {
        if (!_accept.IsCompleted)
        {
            _accept.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onAccept);
            return;
        }

        try
        {
            // Only reached once the accept completed: GetResult reads its outcome, it never blocks.
            _c.ResultValue = new Tcp(_accept.GetAwaiter().GetResult());
        }
        catch (Exception e)
        {
            Fail(_c, e);
        }

        _accept = default;
        _c.Loop!.Complete(_c);
    }

    private void ContinueConnect()
    {
        if (!_connect.IsCompleted)
        {
            _connect.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onConnect);
            return;
        }

        try
        {
            // Only reached once the operation completed: GetResult reads its outcome, it never blocks.
            _connect.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Fail(_c, e);
        }

        _connect = default;
        _c.Loop!.Complete(_c);
    }
}
