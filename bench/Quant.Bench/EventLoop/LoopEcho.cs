using System.Diagnostics;
using System.Net;
using EventLoop;
using EventLoop.Net;

namespace Quant.Bench.EventLoopBench;

/// <summary>The loop side of <c>loop-echo</c>: a server loop thread and a client loop thread on one backend; every callback static, every state preallocated.</summary>
internal static class LoopEcho
{
    /// <summary>One run; <paramref name="multishot"/>, <paramref name="inlineSends"/> and <paramref name="deferTaskrun"/> switch the io_uring backend's receive and send paths and its setup (for same-process comparisons).</summary>
    public static LoopEchoBench.EchoResult Run(int connections, WaitStrategy strategy, LoopBackend backend, TimeSpan warmup, TimeSpan window, bool multishot = true, bool inlineSends = true, bool deferTaskrun = false)
    {
        var control = new LoopEchoBench.Control();
        var options = new LoopOptions { WaitStrategy = strategy, Backend = backend, IoUringMultishotReceive = multishot, IoUringInlineSends = inlineSends, IoUringDeferTaskrun = deferTaskrun };
        var serverLoop = new Loop(options);
        var clientLoop = new Loop(options);
        var listener = new Tcp();
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4096);
        var server = new Server(listener, connections);
        listener.Accept(serverLoop, new Completion(), server, Server.OnAccept);
        for (int i = 0; i < connections; i++)
        {
            var client = new Client(control);
            client.Socket.Connect(clientLoop, client.Op, listener.LocalEndPoint!, client, Client.OnConnect);
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

    private sealed class Server(Tcp listener, int expected)
    {
        public int Closed;

        public Tcp Listener => listener;

        public int Expected => expected;

        public static CallbackAction OnAccept(Server s, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess)
            {
                return CallbackAction.Disarm; // the listener was closed
            }

            var conn = new ServerConn(s, r.Accepted!);
            conn.Socket.Receive(loop, conn.Op, conn.Buffer, conn, ServerConn.OnReceive);
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
                if (++s.Server.Closed == s.Server.Expected)
                {
                    s.Server.Listener.Dispose(); // aborts the pending accept: the server loop then runs out of work
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
