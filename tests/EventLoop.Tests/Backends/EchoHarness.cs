using System.Net;
using EventLoop.Net;

namespace EventLoop.Tests.Backends;

/// <summary>
/// A loopback echo on one loop: a listener accepting (Rearm), <c>connections</c> clients each doing
/// <see cref="RoundTrips"/> round trips of a message unique to it (the echo may arrive in pieces), then closing; the
/// listener is closed after the last client, which aborts its pending accept. Every check is recorded, not thrown, so
/// that a failure names itself.
/// </summary>
internal sealed class EchoHarness
{
    public const int RoundTrips = 3;
    private const int MessageSize = 48;

    private readonly Tcp _listener = new();
    private readonly int _connections;
    private int _clientsDone;

    public EchoHarness(int connections)
    {
        _connections = connections;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(4096);
    }

    public int Accepted { get; private set; }

    public int ServerClosed { get; private set; }

    public int Verified { get; private set; }

    public long BytesEchoed { get; private set; }

    public List<string> Errors { get; } = [];

    public bool AcceptEndedAborted { get; private set; }

    /// <summary>Submits the accept and every connect; run the loop until done afterwards.</summary>
    public void Start(Loop loop)
    {
        _listener.Accept(loop, new Completion(), this, static (h, l, _, in r) =>
        {
            if (!r.IsSuccess)
            {
                h.AcceptEndedAborted = h._clientsDone == h._connections && r.SocketError == System.Net.Sockets.SocketError.OperationAborted;
                return CallbackAction.Disarm;
            }

            h.Accepted++;
            var conn = new ServerConn(h, r.Accepted!);
            conn.Socket.Receive(l, conn.Op, conn.Buffer, conn, ServerConn.OnReceive);
            return CallbackAction.Rearm;
        });
        for (int i = 0; i < _connections; i++)
        {
            var client = new Client(this, i);
            client.Socket.Connect(loop, client.Op, _listener.LocalEndPoint!, client, Client.OnConnect);
        }
    }

    private sealed class ServerConn(EchoHarness owner, Tcp socket)
    {
        public EchoHarness Owner => owner;

        public Tcp Socket => socket;

        public byte[] Buffer { get; } = new byte[256];

        public Completion Op { get; } = new();

        public static CallbackAction OnReceive(ServerConn s, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess || r.BytesTransferred == 0)
            {
                if (!r.IsSuccess)
                {
                    s.Owner.Errors.Add($"server receive: {r.SocketError}");
                }

                s.Owner.ServerClosed++;
                s.Socket.Close(loop, c, s, static (_, _, _, in _) => CallbackAction.Disarm);
                return CallbackAction.Disarm;
            }

            s.Owner.BytesEchoed += r.BytesTransferred;
            s.Socket.Send(loop, c, s.Buffer.AsMemory(0, r.BytesTransferred), s, static (s2, l2, c2, in r2) =>
            {
                if (!r2.IsSuccess)
                {
                    s2.Owner.Errors.Add($"server send: {r2.SocketError}");
                    return CallbackAction.Disarm;
                }

                s2.Socket.Receive(l2, c2, s2.Buffer, s2, OnReceive);
                return CallbackAction.Disarm;
            });
            return CallbackAction.Disarm;
        }
    }

    private sealed class Client
    {
        private readonly EchoHarness _h;
        private readonly byte[] _message = new byte[MessageSize];
        private readonly byte[] _received = new byte[MessageSize];
        private int _filled;
        private int _trips;

        public Client(EchoHarness h, int id)
        {
            _h = h;
            System.Text.Encoding.ASCII.GetBytes($"client {id:D6} round trip ").CopyTo(_message, 0);
        }

        public Tcp Socket { get; } = new();

        public Completion Op { get; } = new();

        public static CallbackAction OnConnect(Client e, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess)
            {
                e._h.Errors.Add($"connect: {r.SocketError}");
                return CallbackAction.Disarm;
            }

            e.Ping(loop);
            return CallbackAction.Disarm;
        }

        private void Ping(Loop loop)
        {
            _filled = 0;
            Array.Clear(_received);
            _message[^1] = (byte)('0' + _trips);
            Socket.Send(loop, Op, _message, this, static (e, l, c, in r) =>
            {
                if (!r.IsSuccess || r.BytesTransferred != MessageSize)
                {
                    e._h.Errors.Add($"client send: {r.SocketError} {r.BytesTransferred}");
                    return CallbackAction.Disarm;
                }

                e.Socket.Receive(l, c, e._received, e, OnEcho);
                return CallbackAction.Disarm;
            });
        }

        private static CallbackAction OnEcho(Client e, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess || r.BytesTransferred == 0)
            {
                e._h.Errors.Add($"client receive: {r.SocketError} {r.BytesTransferred}");
                return CallbackAction.Disarm;
            }

            e._filled += r.BytesTransferred;
            if (e._filled < MessageSize)
            {
                e.Socket.Receive(loop, c, e._received.AsMemory(e._filled), e, OnEcho);
                return CallbackAction.Disarm;
            }

            if (!e._message.AsSpan().SequenceEqual(e._received))
            {
                e._h.Errors.Add("echo differs from the message");
                return CallbackAction.Disarm;
            }

            e._h.Verified++;
            if (++e._trips < RoundTrips)
            {
                e.Ping(loop);
                return CallbackAction.Disarm;
            }

            e.Socket.Close(loop, c, e, static (e2, l, _, in _) =>
            {
                if (++e2._h._clientsDone == e2._h._connections)
                {
                    e2._h._listener.Close(l, new Completion(), e2, static (_, _, _, in _) => CallbackAction.Disarm);
                }

                return CallbackAction.Disarm;
            });
            return CallbackAction.Disarm;
        }
    }
}
