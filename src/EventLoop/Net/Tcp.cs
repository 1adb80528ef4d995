using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// A TCP socket driven by a <see cref="Loop"/>. Accept, connect, receive and send run on a
/// <see cref="SocketAsyncEventArgs"/> owned by the completion (created on its first socket operation and reused), so
/// that steady-state receive and send allocate nothing; they finish on the runtime's I/O threads (or synchronously)
/// and their callbacks run on the loop thread. Bind and listen are immediate; shutdown and close never block (no
/// linger) and complete on the next tick.
/// <para>Traps: at most one receive and one send in flight per socket (each with its own completion); a buffer
/// belongs to the operation until its callback runs; a receive of 0 bytes with no error is the end of the stream.</para>
/// </summary>
public sealed class Tcp : IDisposable
{
    private static readonly EventHandler<SocketAsyncEventArgs> OnSocketCompleted = OnCompleted;

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
        => Submit(loop, c, Operation.Accept, state, callback);

    /// <summary>Connects to <paramref name="remote"/>. Rearm tries again (useful after a refusal, an error if already connected).</summary>
    public void Connect<TState>(Loop loop, Completion c, EndPoint remote, TState state, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(remote);
        c.RemoteEndPoint = remote;
        Submit(loop, c, Operation.Connect, state, callback);
    }

    /// <summary>
    /// Receives what is available (at least 1 byte, at most <c>buffer.Length</c>) into <paramref name="buffer"/>.
    /// 0 bytes with <see cref="SocketError.Success"/> means the peer closed its side. Rearm receives into the same buffer.
    /// </summary>
    public void Receive<TState>(Loop loop, Completion c, Memory<byte> buffer, TState state, Callback<TState> callback)
        where TState : class?
    {
        c.Buffer = buffer;
        Submit(loop, c, Operation.Receive, state, callback);
    }

    /// <summary>Sends all of <paramref name="data"/> (the runtime completes a stream send only when every byte is written, or on error). Rearm sends the same bytes again.</summary>
    public void Send<TState>(Loop loop, Completion c, ReadOnlyMemory<byte> data, TState state, Callback<TState> callback)
        where TState : class?
    {
        c.Buffer = System.Runtime.InteropServices.MemoryMarshal.AsMemory(data);
        Submit(loop, c, Operation.Send, state, callback);
    }

    /// <summary>Shuts down one or both directions (a send shutdown sends FIN after queued data). Completes next tick.</summary>
    public void Shutdown<TState>(Loop loop, Completion c, SocketShutdown how, TState state, Callback<TState> callback)
        where TState : class?
    {
        c.ShutdownHow = how;
        Submit(loop, c, Operation.Shutdown, state, callback);
    }

    /// <summary>Closes the socket; operations still in flight on it complete with <see cref="SocketError.OperationAborted"/>. Completes next tick.</summary>
    public void Close<TState>(Loop loop, Completion c, TState state, Callback<TState> callback)
        where TState : class?
        => Submit(loop, c, Operation.Close, state, callback);

    /// <summary>Closes the socket at once, outside the loop.</summary>
    public void Dispose() => Socket.Dispose();

    /// <summary>(Re)starts <paramref name="c"/>'s socket operation. Loop thread.</summary>
    internal void Start(Loop loop, Completion c)
    {
        var args = c.SocketArgs;
        if (args is null)
        {
            args = new SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true) { UserToken = c };
            args.Completed += OnSocketCompleted;
            c.SocketArgs = args;
        }

        bool pending;
        try
        {
            switch (c.Operation)
            {
                case Operation.Accept:
                    args.SetBuffer(Memory<byte>.Empty);
                    args.AcceptSocket = null;
                    pending = Socket.AcceptAsync(args);
                    break;
                case Operation.Connect:
                    args.SetBuffer(Memory<byte>.Empty);
                    args.RemoteEndPoint = c.RemoteEndPoint;
                    pending = Socket.ConnectAsync(args);
                    break;
                case Operation.Receive:
                    args.SetBuffer(c.Buffer);
                    pending = Socket.ReceiveAsync(args);
                    break;
                case Operation.Send:
                    args.SetBuffer(c.Buffer);
                    pending = Socket.SendAsync(args);
                    break;
                case Operation.Shutdown:
                    Socket.Shutdown(c.ShutdownHow);
                    loop.Complete(c);
                    return;
                case Operation.Close:
                    Socket.Dispose();
                    loop.Complete(c);
                    return;
                default:
                    throw new InvalidOperationException($"not a socket operation: {c.Operation}");
            }
        }
        catch (SocketException e)
        {
            c.ResultSocketError = e.SocketErrorCode;
            c.ResultException = e;
            loop.Complete(c);
            return;
        }
        catch (ObjectDisposedException e)
        {
            c.ResultSocketError = SocketError.OperationAborted;
            c.ResultException = e;
            loop.Complete(c);
            return;
        }

        if (!pending)
        {
            Capture(c, args);
            loop.Complete(c);
        }
    }

    private void Submit<TState>(Loop loop, Completion c, Operation op, TState state, Callback<TState> callback)
        where TState : class?
    {
        loop.CheckThread();
        c.Arm(loop, op, state, callback);
        c.Owner = this;
        loop.Submitted(c);
        Start(loop, c);
    }

    /// <summary>Runs on an I/O thread: record the outcome and hand the completion to its loop.</summary>
    private static void OnCompleted(object? sender, SocketAsyncEventArgs args)
    {
        var c = (Completion)args.UserToken!;
        Capture(c, args);
        c.Loop!.Complete(c);
    }

    private static void Capture(Completion c, SocketAsyncEventArgs args)
    {
        c.ResultSocketError = args.SocketError;
        c.ResultBytes = args.BytesTransferred;
        if (c.Operation == Operation.Accept)
        {
            var accepted = args.AcceptSocket;
            args.AcceptSocket = null;
            if (args.SocketError == SocketError.Success && accepted is not null)
            {
                c.ResultValue = new Tcp(accepted);
            }
            else
            {
                accepted?.Dispose();
            }
        }
    }
}
