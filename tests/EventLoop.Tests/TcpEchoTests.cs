using System.Net;
using System.Net.Sockets;
using System.Text;
using EventLoop.Net;

namespace EventLoop.Tests;

public sealed class TcpEchoTests
{
    private const int RoundTrips = 3;
    private const int MessageSize = 32;

    [Fact]
    public void Echo_with_1000_concurrent_loopback_connections_on_one_loop()
    {
        using var loop = new Loop();
        using var listener = new Tcp();
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4096);
        var server = new EchoServer(listener);
        listener.Accept(loop, new Completion(), server, EchoServer.OnAccept);

        var endPoint = listener.LocalEndPoint!;
        var clients = Enumerable.Range(0, 1000).Select(i => new EchoClient(i, server)).ToArray();
        foreach (var client in clients)
        {
            client.Socket.Connect(loop, client.Op, endPoint, client, EchoClient.OnConnect);
        }

        loop.Run(RunMode.UntilDone); // ends when every client closed and the listener's accept was aborted
        Assert.All(clients, c => Assert.Equal(RoundTrips, c.Verified));
        Assert.Equal(1000, server.Accepted);
        Assert.Equal(1000, server.Closed);
        Assert.Equal(1000L * RoundTrips * MessageSize, server.BytesEchoed);
        Assert.Equal(0, loop.ActiveCount);
    }

    private sealed class EchoServer(Tcp listener)
    {
        public Tcp Listener => listener;

        public int Accepted { get; set; }

        public int Closed { get; set; }

        public int ClientsDone { get; set; }

        public long BytesEchoed { get; set; }

        public static CallbackAction OnAccept(EchoServer s, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess)
            {
                Assert.Equal(1000, s.ClientsDone); // only the final close of the listener aborts the accept
                return CallbackAction.Disarm;
            }

            s.Accepted++;
            var conn = new ServerConn(s, r.Accepted!);
            conn.Socket.Receive(loop, conn.ReceiveOp, conn.Buffer, conn, ServerConn.OnReceive);
            return CallbackAction.Rearm;
        }
    }

    private sealed class ServerConn(EchoServer server, Tcp socket)
    {
        public EchoServer Server => server;

        public Tcp Socket => socket;

        public byte[] Buffer { get; } = new byte[256];

        public Completion ReceiveOp { get; } = new();

        public Completion SendOp { get; } = new();

        public static CallbackAction OnReceive(ServerConn s, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess || r.BytesTransferred == 0)
            {
                s.Server.Closed++;
                s.Socket.Close(loop, c, s, static (_, _, _, in _) => CallbackAction.Disarm);
                return CallbackAction.Disarm;
            }

            s.Server.BytesEchoed += r.BytesTransferred;
            s.Socket.Send(loop, s.SendOp, s.Buffer.AsMemory(0, r.BytesTransferred), s, OnSent);
            return CallbackAction.Disarm;
        }

        private static CallbackAction OnSent(ServerConn s, Loop loop, Completion c, in CompletionResult r)
        {
            Assert.True(r.IsSuccess, r.SocketError.ToString());
            s.Socket.Receive(loop, s.ReceiveOp, s.Buffer, s, OnReceive);
            return CallbackAction.Disarm;
        }
    }

    private sealed class EchoClient
    {
        private readonly EchoServer _server;
        private readonly byte[] _message = new byte[MessageSize];
        private readonly byte[] _received = new byte[MessageSize];
        private int _filled;

        public EchoClient(int id, EchoServer server)
        {
            _server = server;
            Encoding.ASCII.GetBytes($"client {id:D6} says hello ").CopyTo(_message, 0);
            _message[^1] = (byte)'\n';
        }

        public Tcp Socket { get; } = new();

        public Completion Op { get; } = new();

        public int Verified { get; private set; }

        public static CallbackAction OnConnect(EchoClient e, Loop loop, Completion c, in CompletionResult r)
        {
            Assert.True(r.IsSuccess, r.SocketError.ToString());
            e.SendMessage(loop);
            return CallbackAction.Disarm;
        }

        private void SendMessage(Loop loop)
        {
            _filled = 0;
            Array.Clear(_received);
            Socket.Send(loop, Op, _message, this, static (e, l, _, in r) =>
            {
                Assert.True(r.IsSuccess);
                Assert.Equal(MessageSize, r.BytesTransferred);
                e.Socket.Receive(l, e.Op, e._received, e, OnEcho);
                return CallbackAction.Disarm;
            });
        }

        private static CallbackAction OnEcho(EchoClient e, Loop loop, Completion c, in CompletionResult r)
        {
            Assert.True(r.IsSuccess && r.BytesTransferred > 0, $"{r.SocketError} {r.BytesTransferred}");
            e._filled += r.BytesTransferred;
            if (e._filled < MessageSize)
            {
                e.Socket.Receive(loop, c, e._received.AsMemory(e._filled), e, OnEcho); // the echo may arrive in pieces
                return CallbackAction.Disarm;
            }

            Assert.Equal(e._message, e._received);
            if (++e.Verified < RoundTrips)
            {
                e.SendMessage(loop);
                return CallbackAction.Disarm;
            }

            e.Socket.Close(loop, c, e, static (e2, l, _, in r2) =>
            {
                Assert.True(r2.IsSuccess);
                if (++e2._server.ClientsDone == 1000)
                {
                    e2._server.Listener.Close(l, new Completion(), e2._server, static (_, _, _, in _) => CallbackAction.Disarm);
                }

                return CallbackAction.Disarm;
            });
            return CallbackAction.Disarm;
        }
    }
}
