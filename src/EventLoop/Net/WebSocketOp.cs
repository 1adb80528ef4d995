using System.Net.WebSockets;

namespace EventLoop.Net;

/// <summary>
/// The WebSocket machinery of one completion, created on its first WebSocket operation and reused: the pending
/// ValueTask and cached continuation delegates, so that hooking a pending receive or send allocates nothing
/// (a ValueTask backed by an <see cref="System.Threading.Tasks.Sources.IValueTaskSource"/> takes the cached
/// <see cref="Action"/> as is). Continuations run on I/O threads; only the final hand-over touches the loop.
/// </summary>
internal sealed class WebSocketOp
{
    private readonly Completion _c;
    private readonly Action _onReceive;
    private readonly Action _onSend;
    private readonly Action _onTask;
    private ValueTask<ValueWebSocketReceiveResult> _receive;
    private ValueTask _send;
    private Task? _task;
    private ClientWebSocket? _connecting;
    private CancellationTokenSource _cts = new();
    private int _filled;

    public WebSocketOp(Completion c)
    {
        _c = c;
        _onReceive = ContinueReceive;
        _onSend = ContinueSend;
        _onTask = FinishTask;
    }

    /// <summary>
    /// Loop thread: aborts the pending operation (the runtime aborts the WebSocket for a canceled receive, send or
    /// close); it then reaches the loop once. A receive or send is given no token (a cancelable one costs the runtime a
    /// registration per message), so its cancel is that abort, done here directly; the loop reports it canceled.
    /// </summary>
    public void Cancel()
    {
        if (_c.Operation is Operation.WebSocketReceive or Operation.WebSocketSend)
        {
            ((WebSocketConnection)_c.Owner!).WebSocket.Abort();
        }
        else
        {
            _cts.Cancel();
        }
    }

    private CancellationToken Token
    {
        get
        {
            if (_cts.IsCancellationRequested)
            {
                _cts.Dispose();
                _cts = new CancellationTokenSource(); // a canceled source cannot be reset; cancels are rare
            }

            return _cts.Token;
        }
    }

    public void StartReceive(WebSocket ws)
    {
        _filled = 0;
        try
        {
            _receive = ws.ReceiveAsync(_c.Buffer, CancellationToken.None); // Cancel aborts the WebSocket instead
        }
        catch (Exception e)
        {
            Finish(e);
            return;
        }

        ContinueReceive();
    }

    public void StartSend(WebSocket ws)
    {
        try
        {
            _send = ws.SendAsync(_c.Buffer, _c.SendType, _c.SendEndOfMessage, CancellationToken.None); // Cancel aborts instead
        }
        catch (Exception e)
        {
            Finish(e);
            return;
        }

        ContinueSend();
    }

    public void StartConnect()
    {
        ClientWebSocket? ws = null;
        try
        {
            ws = new ClientWebSocket();
            _c.Configure?.Invoke(ws.Options);
            _connecting = ws;
            _task = ws.ConnectAsync(_c.Uri!, Token);
        }
        catch (Exception e)
        {
            _connecting = null;
            ws?.Dispose();
            Finish(e);
            return;
        }

        WhenTaskDone();
    }

    public void StartClose(WebSocket ws)
    {
        try
        {
            _task = ws.CloseAsync(_c.CloseStatusArgument, _c.CloseDescription, Token);
        }
        catch (Exception e)
        {
            Finish(e);
            return;
        }

        WhenTaskDone();
    }

    /// <summary>Accumulates frames until the message ends, the buffer is full, or the peer closes; then completes once.</summary>
    private void ContinueReceive()
    {
        var ws = ((WebSocketConnection)_c.Owner!).WebSocket;
        while (true)
        {
            if (!_receive.IsCompleted)
            {
                _receive.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onReceive);
                return;
            }

            ValueWebSocketReceiveResult res;
            try
            {
                // Only reached once the operation completed: GetResult reads its outcome, it never blocks.
                res = _receive.GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                _receive = default;
                Finish(e);
                return;
            }

            _receive = default;
            _filled += res.Count;
            _c.ResultBytes = _filled;
            _c.ResultMessageType = res.MessageType;
            if (res.MessageType == WebSocketMessageType.Close)
            {
                _c.ResultEndOfMessage = true;
                _c.ResultCloseStatus = ws.CloseStatus;
                Finish(null);
                return;
            }

            if (res.EndOfMessage || _filled == _c.Buffer.Length)
            {
                _c.ResultEndOfMessage = res.EndOfMessage;
                Finish(null);
                return;
            }

            try
            {
                _receive = ws.ReceiveAsync(_c.Buffer[_filled..], CancellationToken.None);
            }
            catch (Exception e)
            {
                Finish(e);
                return;
            }
        }
    }

    private void ContinueSend()
    {
        if (!_send.IsCompleted)
        {
            _send.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onSend);
            return;
        }

        Exception? error = null;
        try
        {
            // Only reached once the operation completed: GetResult reads its outcome, it never blocks.
            _send.GetAwaiter().GetResult();
            _c.ResultBytes = _c.Buffer.Length;
        }
        catch (Exception e)
        {
            error = e;
        }

        _send = default;
        Finish(error);
    }

    private void WhenTaskDone()
    {
        if (_task!.IsCompleted)
        {
            FinishTask();
        }
        else
        {
            _task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onTask);
        }
    }

    private void FinishTask()
    {
        var task = _task!;
        _task = null;
        Exception? error = task.IsCanceled ? new OperationCanceledException() : task.Exception?.InnerException ?? task.Exception;
        _ = task.Exception; // observed
        if (_c.Operation == Operation.WebSocketConnect)
        {
            var ws = _connecting!;
            _connecting = null;
            if (error is null)
            {
                _c.ResultValue = new WebSocketConnection(ws);
            }
            else
            {
                ws.Dispose();
            }
        }
        else
        {
            _c.ResultCloseStatus = ((WebSocketConnection)_c.Owner!).WebSocket.CloseStatus;
        }

        Finish(error);
    }

    private void Finish(Exception? error)
    {
        _c.ResultException = error;
        _c.Loop!.Complete(_c);
    }
}
