using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using EventLoop.Net;

namespace EventLoop;

/// <summary>
/// One operation in flight, libxev-style: caller-owned and reusable, it holds the operation, its state
/// (<see cref="CompletionState.Dead"/> / <see cref="CompletionState.Active"/>), the user state and the callback.
/// Allocate one per concurrent operation (e.g. one for a connection's receive and one for its send) and reuse it:
/// the socket arguments and continuations it needs are created on its first use and kept, so that steady-state
/// operations allocate nothing.
/// <para>Traps: submitting an Active completion throws (and changes nothing: the live operation keeps its inputs).
/// While Active, the loop and possibly an I/O thread own it. The same completion must not be submitted to two loops
/// at once. <see cref="Loop.Cancel"/> ends it early: its callback then runs once, canceled.</para>
/// </summary>
public sealed class Completion
{
    private int _state;

    /// <summary>The operation last submitted with this completion.</summary>
    public Operation Operation { get; internal set; }

    /// <summary>Dead or Active. Readable from any thread.</summary>
    public CompletionState State
    {
        get => (CompletionState)Volatile.Read(ref _state);
        internal set => Volatile.Write(ref _state, (int)value);
    }

    /// <summary>The state object given at submission.</summary>
    public object? UserState { get; private set; }

    /// <summary>The loop this completion was last submitted to.</summary>
    public Loop? Loop { get; private set; }

    internal Delegate? Callback;
    internal Thunk? Invoke;
    internal bool Counted;          // counted in the loop's active count
    internal Completion? Next;      // intrusive ready list
    internal Completion? ActivePrev; // intrusive list of counted (active) completions, for Loop.Shutdown
    internal Completion? ActiveNext;
    internal bool CancelRequested;  // Loop.Cancel or a deadline asked for it; the callback reports canceled
    internal bool CancelIsTimeout;  // ... and it was the operation's deadline
    internal long TimeoutTicks;     // per-operation deadline (0: none), re-applied by Rearm
    internal int LagSample;         // metrics: hand-overs counted by whoever holds the completion, to sample one in N
    internal long HandOverStamp;    // metrics: Stopwatch timestamp of a cross-thread hand-over (0: not measured)
    internal bool Internal;         // the loop's own (Shutdown's close handshakes and guard timer): never force-canceled
    internal object? Owner;         // Tcp, WebSocketConnection or Notifier that runs the operation

    // Timer.
    internal long Deadline;
    internal long Interval;
    internal long TimerSequence;
    internal int HeapIndex = -1;

    // Offload.
    internal Delegate? Work;
    internal Func<Delegate, object?, object?>? WorkInvoke;
    internal OffloadWorkItem? WorkItem;

    // Socket and WebSocket operation inputs.
    internal Memory<byte> Buffer;
    internal EndPoint? RemoteEndPoint;
    internal SocketShutdown ShutdownHow;
    internal WebSocketMessageType SendType;
    internal bool SendEndOfMessage;
    internal Uri? Uri;
    internal Action<System.Net.WebSockets.ClientWebSocketOptions>? Configure;
    internal WebSocketCloseStatus CloseStatusArgument;
    internal string? CloseDescription;
    internal WebSocketOp? WebSocketOp;
    internal TcpOp? TcpOp;
    internal Backends.BackendOp? IoOp; // the TCP operation as a loop-driven backend (io_uring, epoll) runs it

    // Await.
    internal AwaitOp? AwaitOp;

    // Result, written by whichever thread finished the operation before it is queued to the loop.
    internal int ResultBytes;
    internal SocketError ResultSocketError;
    internal Exception? ResultException;
    internal object? ResultValue;
    internal WebSocketMessageType ResultMessageType;
    internal bool ResultEndOfMessage;
    internal WebSocketCloseStatus? ResultCloseStatus;

    /// <summary>Creates a dead completion.</summary>
    public Completion()
    {
    }

    internal static Completion CreateInternal(Operation op, object owner) => new() { Operation = op, Owner = owner };

    /// <summary>
    /// Fills in the operation and callback; throws, touching nothing, if the completion is still active. Callers write
    /// the operation's inputs (buffer, endpoint) only after this returns, so a refused reuse cannot alter a live one.
    /// </summary>
    internal void Arm<TState>(Loop loop, Operation op, TState state, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (State == CompletionState.Active)
        {
            throw new InvalidOperationException($"completion is still active ({Operation}); wait for its callback or use another completion");
        }

        Loop = loop;
        Operation = op;
        UserState = state;
        Callback = callback;
        Invoke = ThunkOf<TState>.Callback;
        Owner = null;
        TimeoutTicks = 0;
        Internal = false;
        ClearResult();
    }

    internal void ClearResult()
    {
        CancelRequested = false;
        CancelIsTimeout = false;
        ResultBytes = 0;
        ResultSocketError = SocketError.Success;
        ResultException = null;
        ResultValue = null;
        ResultMessageType = default;
        ResultEndOfMessage = false;
        ResultCloseStatus = null;
    }

    /// <summary>Builds the result passed to the callback and drops the references the completion held for it.</summary>
    internal CompletionResult TakeResult()
    {
        if (CancelRequested)
        {
            return TakeCanceledResult();
        }

        var r = new CompletionResult(Operation, ResultBytes, ResultSocketError, ResultException, false, false,
            ResultValue, ResultMessageType, ResultEndOfMessage, ResultCloseStatus);
        ResultException = null;
        ResultValue = null;
        return r;
    }

    /// <summary>
    /// A canceled or timed-out result. Whatever the operation produced meanwhile is dropped (a value it made, such as an
    /// accepted socket, a connected WebSocket or an awaited task's result, is disposed if disposable). TCP operations
    /// also report <see cref="SocketError.OperationAborted"/> / <see cref="SocketError.TimedOut"/>; WebSocket, await and
    /// offload operations an <see cref="OperationCanceledException"/> / <see cref="TimeoutException"/>, so that code
    /// which only checks its family's error field still sees the failure. Timers, posts and notifier waits allocate
    /// nothing here.
    /// </summary>
    private CompletionResult TakeCanceledResult()
    {
        (ResultValue as IDisposable)?.Dispose();
        ResultValue = null;
        ResultException = null;
        bool timedOut = CancelIsTimeout;
        var socketError = SocketError.Success;
        Exception? error = null;
        switch (Operation)
        {
            case Operation.Accept:
            case Operation.Connect:
            case Operation.Receive:
            case Operation.Send:
            case Operation.Shutdown:
            case Operation.Close:
                socketError = timedOut ? SocketError.TimedOut : SocketError.OperationAborted;
                break;
            case Operation.WebSocketConnect:
            case Operation.WebSocketReceive:
            case Operation.WebSocketSend:
            case Operation.WebSocketClose:
            case Operation.Await:
            case Operation.Offload:
                error = timedOut ? new TimeoutException($"{Operation} timed out") : new OperationCanceledException($"{Operation} canceled");
                break;
        }

        return new CompletionResult(Operation, 0, socketError, error, !timedOut, timedOut, null, default, false, null);
    }
}
