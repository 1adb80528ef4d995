using System.Diagnostics;
using System.Net;
using EventLoop;
using EventLoop.Net;

namespace Quant.Bench.EventLoopBench;

/// <summary>
/// The loop side of <c>loop-echo</c>: two loop threads on one backend; every callback static, every state
/// preallocated. Split (default): one loop serves every connection, the other runs every client, so each hop crosses
/// threads. Mixed: each loop runs half the clients and serves half the connections (client i on loop i % 2, accepted
/// connection k on loop (k / 2 + 1) % 2: half the pairs on one thread, half across, a lone connection across), as the
/// runtime's socket engines mix the sockets of the async baseline (assigned to its engine threads round-robin).
/// </summary>
internal static class LoopEcho
{
    /// <summary>One run; <paramref name="multishot"/>, <paramref name="inlineSends"/> and <paramref name="deferTaskrun"/> switch the io_uring backend's receive and send paths and its setup (for same-process comparisons).</summary>
    public static LoopEchoBench.EchoResult Run(int connections, WaitStrategy strategy, LoopBackend backend, TimeSpan warmup, TimeSpan window, bool multishot = true, bool inlineSends = true, bool deferTaskrun = false, bool mixed = false)
    {
        var control = new LoopEchoBench.Control();
        var options = new LoopOptions { WaitStrategy = strategy, Backend = backend, IoUringMultishotReceive = multishot, IoUringInlineSends = inlineSends, IoUringDeferTaskrun = deferTaskrun };
        var serverLoop = new Loop(options);
        var clientLoop = new Loop(options);
        var listener = new Tcp();
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4096);
        Loop[] loops = [serverLoop, clientLoop];
        var server = new Server(listener, connections, mixed ? loops : null);
        if (mixed)
        {
            // A loop may serve connections without running any client (1 connection): a notifier wait keeps each
            // loop running until the last connection closed (UntilDone would return before its first post).
            server.KeepAlive = [new Notifier(serverLoop), new Notifier(clientLoop)];
            foreach (var n in server.KeepAlive)
            {
                n.Wait(new Completion(), (object?)null, static (_, _, _, in _) => CallbackAction.Disarm);
            }
        }

        listener.Accept(serverLoop, new Completion(), server, Server.OnAccept);
        for (int i = 0; i < connections; i++)
        {
            var client = new Client(control);
            client.Socket.Connect(mixed ? loops[i % 2] : clientLoop, client.Op, listener.LocalEndPoint!, client, Client.OnConnect);
        }

        var threads = new[] { new Thread(() => serverLoop.Run(RunMode.UntilDone)), new Thread(() => clientLoop.Run(RunMode.UntilDone)) };
        foreach (var t in threads)
        {
            t.Start();
        }

        var result = control.Measure(warmup, window);
        foreach (var t in threads)
        {
            t.Join();
        }

        serverLoop.Dispose();
        clientLoop.Dispose();
        return result;
    }

    private sealed class Server(Tcp listener, int expected, Loop[]? mixed)
    {
        public int Closed; // both loops' threads count here in the mixed topology

        private readonly Loop[]? _mixed = mixed;
        private int _accepted;

        public Tcp Listener => listener;

        public int Expected => expected;

        /// <summary>Mixed topology: notified once every connection closed, so that both loops run out of work.</summary>
        public Notifier[] KeepAlive { get; set; } = [];

        public static CallbackAction OnAccept(Server s, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess)
            {
                return CallbackAction.Disarm; // the listener was closed
            }

            var conn = new ServerConn(s, r.Accepted!);
            var serving = s._mixed is { } loops ? loops[((s._accepted++ / 2) + 1) % 2] : loop;
            if (serving == loop)
            {
                conn.Socket.Receive(loop, conn.Op, conn.Buffer, conn, ServerConn.OnReceive);
            }
            else
            {
                // The other loop serves it: its first receive is submitted there (a socket is read by one loop only).
                serving.Post(conn.Op, conn, static (sc, l, op, in _) =>
                {
                    sc.Socket.Receive(l, op, sc.Buffer, sc, ServerConn.OnReceive);
                    return CallbackAction.Disarm;
                });
            }

            return CallbackAction.Rearm;
        }
    }

    private sealed class ServerConn(Server server, Tcp socket)
    {
        public Server Server => server;

        public Tcp Socket => socket;

        public byte[] Buffer { get; } = new byte[4096];

        public Completion Op { get; } = new();

        public static CallbackAction OnReceive(ServerConn s, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess || r.BytesTransferred == 0)
            {
                s.Socket.Dispose();
                if (Interlocked.Increment(ref s.Server.Closed) == s.Server.Expected)
                {
                    s.Server.Listener.Dispose(); // aborts the pending accept: the server loop then runs out of work
                    foreach (var n in s.Server.KeepAlive)
                    {
                        n.Notify();
                    }
                }

                return CallbackAction.Disarm;
            }

            s.Socket.Send(loop, c, s.Buffer.AsMemory(0, r.BytesTransferred), s, OnSent);
            return CallbackAction.Disarm;
        }

        private static CallbackAction OnSent(ServerConn s, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess)
            {
                return CallbackAction.Disarm;
            }

            s.Socket.Receive(loop, c, s.Buffer, s, OnReceive);
            return CallbackAction.Disarm;
        }
    }

    private sealed class Client(LoopEchoBench.Control control)
    {
        private readonly LoopEchoBench.Control _control = control;
        private readonly byte[] _message = new byte[LoopEchoBench.MessageSize];
        private readonly byte[] _received = new byte[LoopEchoBench.MessageSize];
        private int _filled;
        private long _start;

        public Tcp Socket { get; } = new();

        public Completion Op { get; } = new();

        public static CallbackAction OnConnect(Client e, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess)
            {
                throw new InvalidOperationException($"connect failed: {r.SocketError}");
            }

            e.Ping(loop);
            return CallbackAction.Disarm;
        }

        private void Ping(Loop loop)
        {
            _filled = 0;
            _start = Stopwatch.GetTimestamp();
            Socket.Send(loop, Op, _message, this, OnSent);
        }

        private static CallbackAction OnSent(Client e, Loop loop, Completion c, in CompletionResult r)
        {
            e.Socket.Receive(loop, c, e._received, e, OnEcho);
            return CallbackAction.Disarm;
        }

        private static CallbackAction OnEcho(Client e, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess || r.BytesTransferred == 0)
            {
                throw new InvalidOperationException($"echo failed: {r.SocketError}");
            }

            e._filled += r.BytesTransferred;
            if (e._filled < LoopEchoBench.MessageSize)
            {
                e.Socket.Receive(loop, c, e._received.AsMemory(e._filled), e, OnEcho);
                return CallbackAction.Disarm;
            }

            e._control.Record(e._start);
            if (e._control.Stopping)
            {
                e.Socket.Dispose();
                return CallbackAction.Disarm;
            }

            e.Ping(loop);
            return CallbackAction.Disarm;
        }    }
}
