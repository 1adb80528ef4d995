using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// A TCP socket driven by a <see cref="Loop"/>. Accept, connect, receive and send use the socket's pooled,
/// cancelable ValueTask operations watched by a <see cref="TcpOp"/> owned by the completion (created on its first socket
/// operation and reused), so that steady-state receive and send allocate nothing; they finish on the runtime's I/O
/// threads (or synchronously) and their callbacks run on the loop thread. Each can be canceled with
/// <see cref="Loop.Cancel"/> or given a deadline (the <c>timeout</c> overloads) without closing the socket. Bind and
/// listen are immediate; shutdown and close never block (no linger) and complete on the next tick.
/// <para>Traps: at most one receive and one send in flight per socket (each with its own completion; use
/// <see cref="TcpSendQueue"/> to send without waiting); a buffer belongs to the operation until its callback runs; a
/// receive of 0 bytes with no error is the end of the stream.</para>
/// </summary>
public sealed class Tcp : IDisposable
{
    /// <summary>Creates a TCP socket (Nagle off: this is for latency).</summary>
    public Tcp(AddressFamily family = AddressFamily.InterNetwork)
        : this(new Socket(family, SocketType.Stream, ProtocolType.Tcp))
    {
    }

    /// <summary>Wraps an existing stream socket; the Tcp now owns it.</summary>
    public Tcp(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Socket = socket;
        Socket.NoDelay = true;
    }

    private Loop? _trackedBy; // the loop that knows this socket (for Loop.Shutdown)

    /// <summary>Operations in flight on a loop-driven backend (io_uring, epoll): stopped before the descriptor is closed. Loop thread.</summary>
    internal List<Backends.BackendOp> BackendOps { get; } = new(3);

    /// <summary>The backend's per-socket bookkeeping (epoll: its registration), or null.</summary>
    internal object? BackendState { get; set; }

    /// <summary>The underlying socket.</summary>
    public Socket Socket { get; }

    /// <summary>The bound local address (after <see cref="Bind"/> or connect).</summary>
    public EndPoint? LocalEndPoint => Socket.LocalEndPoint;

    /// <summary>Binds to <paramref name="endPoint"/> (port 0: the OS picks one; read <see cref="LocalEndPoint"/>). Immediate.</summary>
    public void Bind(EndPoint endPoint) => Socket.Bind(endPoint);

    /// <summary>Starts listening. Immediate.</summary>
    public void Listen(int backlog = 1024) => Socket.Listen(backlog);

    /// <summary>Accepts one connection; <see cref="CompletionResult.Accepted"/> is the new socket (owned by the callback). Rearm accepts the next.</summary>
    public void Accept<TState>(Loop loop, Completion c, TState state, Callback<TState> callback)
        where TState : class?
        => Accept(loop, c, Timeout.InfiniteTimeSpan, state, callback);

    /// <summary>Accept with a deadline: <see cref="CompletionResult.IsTimedOut"/> (and <see cref="SocketError.TimedOut"/>) if no connection came within <paramref name="timeout"/>; the listener stays usable.</summary>
    public void Accept<TState>(Loop loop, Completion c, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        Arm(loop, c, Operation.Accept, timeout, state, callback);
        Begin(loop, c);
    }

    /// <summary>Connects to <paramref name="remote"/>. Rearm tries again (useful after a refusal, an error if already connected).</summary>
    public void Connect<TState>(Loop loop, Completion c, EndPoint remote, TState state, Callback<TState> callback)
        where TState : class?
        => Connect(loop, c, remote, Timeout.InfiniteTimeSpan, state, callback);

    /// <summary>Connect with a deadline: <see cref="CompletionResult.IsTimedOut"/> if not connected within <paramref name="timeout"/> (the attempt is canceled).</summary>
    public void Connect<TState>(Loop loop, Completion c, EndPoint remote, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(remote);
        Arm(loop, c, Operation.Connect, timeout, state, callback);
        c.RemoteEndPoint = remote;
        Begin(loop, c);
    }

    /// <summary>
    /// Receives what is available (at least 1 byte, at most <c>buffer.Length</c>) into <paramref name="buffer"/>.
    /// 0 bytes with <see cref="SocketError.Success"/> means the peer closed its side. Rearm receives into the same buffer.
    /// </summary>
    public void Receive<TState>(Loop loop, Completion c, Memory<byte> buffer, TState state, Callback<TState> callback)
        where TState : class?
        => Receive(loop, c, buffer, Timeout.InfiniteTimeSpan, state, callback);

    /// <summary>Receive with a deadline: <see cref="CompletionResult.IsTimedOut"/> if nothing arrived within <paramref name="timeout"/>; the socket stays usable.</summary>
    public void Receive<TState>(Loop loop, Completion c, Memory<byte> buffer, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        Arm(loop, c, Operation.Receive, timeout, state, callback);
        c.Buffer = buffer;
        Begin(loop, c);
    }

    /// <summary>Sends all of <paramref name="data"/> (the runtime completes a stream send only when every byte is written, or on error). Rearm sends the same bytes again.</summary>
    public void Send<TState>(Loop loop, Completion c, ReadOnlyMemory<byte> data, TState state, Callback<TState> callback)
        where TState : class?
        => Send(loop, c, data, Timeout.InfiniteTimeSpan, state, callback);

    /// <summary>Send with a deadline: <see cref="CompletionResult.IsTimedOut"/> if not all sent within <paramref name="timeout"/> (how much went out is then unknown).</summary>
    public void Send<TState>(Loop loop, Completion c, ReadOnlyMemory<byte> data, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        Arm(loop, c, Operation.Send, timeout, state, callback);
        c.Buffer = System.Runtime.InteropServices.MemoryMarshal.AsMemory(data);
        Begin(loop, c);
    }

    /// <summary>Shuts down one or both directions (a send shutdown sends FIN after queued data). Completes next tick.</summary>
    public void Shutdown<TState>(Loop loop, Completion c, SocketShutdown how, TState state, Callback<TState> callback)
        where TState : class?
    {
        Arm(loop, c, Operation.Shutdown, Timeout.InfiniteTimeSpan, state, callback);
        c.ShutdownHow = how;
        Begin(loop, c);
    }

    /// <summary>Closes the socket; operations still in flight on it complete with <see cref="SocketError.OperationAborted"/>. Completes next tick.</summary>
    public void Close<TState>(Loop loop, Completion c, TState state, Callback<TState> callback)
        where TState : class?
    {
        Arm(loop, c, Operation.Close, Timeout.InfiniteTimeSpan, state, callback);
        Begin(loop, c);
    }

    /// <summary>
    /// Closes the socket at once, outside the loop; operations in flight on it complete with
    /// <see cref="SocketError.OperationAborted"/>. On a loop-driven backend (io_uring, epoll) they are stopped first, so
    /// call this on the loop thread or while no Run is in progress: from another thread during a Run, the close is
    /// handed to the loop thread (it happens on its next tick). Trap: dispose the Tcp, not its <see cref="Socket"/>,
    /// or those operations are never stopped.
    /// </summary>
    public void Dispose()
    {
        var loop = _trackedBy;
        if (loop is not null && loop.IoBackend.OwnsSockets)
        {
            if (loop.IsRunning && !loop.IsLoopThread && (BackendOps.Count > 0 || BackendState is not null))
            {
                loop.Post(new Completion(), this, static (t, _, _, in _) =>
                {
                    t.Dispose();
                    return CallbackAction.Disarm;
                });
                return;
            }

            loop.IoBackend.BeforeClose(this);
        }

        Socket.Dispose();
    }

    /// <summary>(Re)starts <paramref name="c"/>'s socket operation. Loop thread. Never throws: a failure to start (any exception) is the completion's result.</summary>
    internal void Start(Loop loop, Completion c)
    {
        switch (c.Operation)
        {
            case Operation.Shutdown:
            case Operation.Close:
                try
                {
                    if (c.Operation == Operation.Shutdown)
                    {
                        Socket.Shutdown(c.ShutdownHow);
                    }
                    else
                    {
                        Dispose();
                    }
                }
                catch (Exception e)
                {
                    TcpOp.Fail(c, e);
                }

                loop.Complete(c);
                return;
            default:
                if (!loop.IoBackend.Start(this, c))
                {
                    (c.TcpOp ??= new TcpOp(c)).Start(Socket);
                }

                return;
        }
    }

    /// <summary>Checks and arms <paramref name="c"/> (throwing, with nothing changed, if it is active); the caller writes the inputs next.</summary>
    private void Arm<TState>(Loop loop, Completion c, Operation op, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(c);
        loop.CheckThread();
        long timeoutTicks = Loop.TimeoutTicksOf(timeout);
        c.Arm(loop, op, state, callback);
        c.Owner = this;
        c.TimeoutTicks = timeoutTicks;
        if (!ReferenceEquals(_trackedBy, loop))
        {
            _trackedBy = loop;
            loop.Track(this);
        }
    }

    private void Begin(Loop loop, Completion c)
    {
        loop.Submitted(c);
        loop.StartDeadline(c);
        Start(loop, c);
    }
}
