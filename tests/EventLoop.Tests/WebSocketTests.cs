using System.Net.WebSockets;
using System.Text;
using EventLoop.Net;

namespace EventLoop.Tests;

public sealed class WebSocketTests(KestrelWebSocketServer server) : IClassFixture<KestrelWebSocketServer>
{
    [Theory]
    [InlineData("echo")]
    [InlineData("loop-echo")]
    public void Round_trip_text_and_binary_then_close_handshake(string path)
    {
        using var loop = new Loop();
        var s = new Session { Expected = ["hello, loop", new string('x', 3000)] };
        WebSocketConnection.Connect(loop, new Completion(), new Uri(server.BaseUri, path), o => o.KeepAliveInterval = TimeSpan.FromSeconds(5), s, Session.OnConnected);
        loop.Run(RunMode.UntilDone);
        Assert.Null(s.Error);
        Assert.Equal(s.Expected, s.Echoes);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, s.CloseStatus);
        Assert.Equal(WebSocketState.Closed, s.Connection!.WebSocket.State);
        s.Connection.Dispose();
    }

    [Fact]
    public void A_message_longer_than_the_buffer_arrives_in_buffer_sized_parts()
    {
        using var loop = new Loop();
        var s = new Session { Expected = [new string('y', 100)], ReceiveBufferSize = 40 };
        WebSocketConnection.Connect(loop, new Completion(), new Uri(server.BaseUri, "echo"), null, s, Session.OnConnected);
        loop.Run(RunMode.UntilDone);
        Assert.Null(s.Error);
        Assert.Equal([40, 40, 20], s.PartSizes);
        Assert.Equal([false, false, true], s.PartEnds);
        Assert.Equal(s.Expected, s.Echoes);
        s.Connection!.Dispose();
    }

    [Fact]
    public void Receive_rearm_gets_each_pushed_message_then_the_close()
    {
        using var loop = new Loop();
        var s = new PushProbe();
        WebSocketConnection.Connect(loop, new Completion(), new Uri(server.BaseUri, "push"), null, s, static (p, l, c, in r) =>
        {
            Assert.Null(r.Exception);
            p.Connection = r.WebSocket!;
            p.Connection.Receive(l, c, p.Buffer, p, static (p2, l2, c2, in r2) =>
            {
                Assert.Null(r2.Exception);
                if (r2.MessageType == WebSocketMessageType.Close)
                {
                    p2.CloseStatus = r2.CloseStatus;
                    p2.Connection!.Close(l2, new Completion(), WebSocketCloseStatus.NormalClosure, null, p2, static (_, _, _, in r3) =>
                    {
                        Assert.Null(r3.Exception);
                        return CallbackAction.Disarm;
                    });
                    return CallbackAction.Disarm;
                }

                p2.Messages.Add(Encoding.UTF8.GetString(p2.Buffer, 0, r2.BytesTransferred));
                return CallbackAction.Rearm;
            });
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["message 1", "message 2", "message 3"], s.Messages);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, s.CloseStatus);
        s.Connection!.Dispose();
    }

    [Fact]
    public void Send_rearm_sends_the_same_message_again_and_connect_rearm_reconnects()
    {
        using var loop = new Loop();
        var p = new PushProbe();
        WebSocketConnection.Connect(loop, new Completion(), new Uri(server.BaseUri, "echo"), null, p, static (p1, l, _, in r) =>
        {
            Assert.Null(r.Exception);
            p1.Connections.Add(r.WebSocket!);
            if (p1.Connections.Count < 2)
            {
                return CallbackAction.Rearm; // a second, independent connection
            }

            var conn = r.WebSocket!;
            p1.Connection = conn;
            conn.Send(l, new Completion(), "again"u8.ToArray(), WebSocketMessageType.Text, p1, static (p2, _, _, in r2) =>
            {
                Assert.Null(r2.Exception);
                return ++p2.Sends < 3 ? CallbackAction.Rearm : CallbackAction.Disarm;
            });
            conn.Receive(l, new Completion(), p1.Buffer, p1, static (p2, _, _, in r2) =>
            {
                Assert.Null(r2.Exception);
                p2.Messages.Add(Encoding.UTF8.GetString(p2.Buffer, 0, r2.BytesTransferred));
                return p2.Messages.Count < 3 ? CallbackAction.Rearm : CallbackAction.Disarm;
            });
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(2, p.Connections.Count);
        Assert.NotSame(p.Connections[0].WebSocket, p.Connections[1].WebSocket);
        Assert.All(p.Connections, c => Assert.Equal(WebSocketState.Open, c.WebSocket.State));
        Assert.Equal(["again", "again", "again"], p.Messages);
        p.Connections.ForEach(c => c.Dispose());
    }

    [Fact]
    public void Connect_failure_is_reported_as_an_exception_result()
    {
        using var loop = new Loop();
        var p = new PushProbe();
        WebSocketConnection.Connect(loop, new Completion(), new Uri(server.BaseUri, "no-such-endpoint"), null, p, static (p1, _, _, in r) =>
        {
            p1.Error = r.Exception;
            Assert.Null(r.WebSocket);
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.IsType<WebSocketException>(p.Error);
    }

    private sealed class PushProbe
    {
        public WebSocketConnection? Connection { get; set; }

        public List<WebSocketConnection> Connections { get; } = [];

        public byte[] Buffer { get; } = new byte[256];

        public List<string> Messages { get; } = [];

        public WebSocketCloseStatus? CloseStatus { get; set; }

        public int Sends { get; set; }

        public Exception? Error { get; set; }
    }

    /// <summary>Sends each expected message, checks its echo, then runs the close handshake.</summary>
    private sealed class Session
    {
        private readonly Completion _receive = new();
        private readonly StringBuilder _current = new();
        private byte[] _buffer = [];
        private int _next;

        public required string[] Expected { get; init; }

        public int ReceiveBufferSize { get; init; } = 8192;

        public List<string> Echoes { get; } = [];

        public List<int> PartSizes { get; } = [];

        public List<bool> PartEnds { get; } = [];

        public WebSocketConnection? Connection { get; private set; }

        public WebSocketCloseStatus? CloseStatus { get; private set; }

        public Exception? Error { get; private set; }

        public static CallbackAction OnConnected(Session s, Loop loop, Completion c, in CompletionResult r)
        {
            if (r.Exception is not null)
            {
                s.Error = r.Exception;
                return CallbackAction.Disarm;
            }

            s.Connection = r.WebSocket;
            s._buffer = new byte[s.ReceiveBufferSize];
            s.SendNext(loop);
            return CallbackAction.Disarm;
        }

        private void SendNext(Loop loop)
        {
            if (_next == Expected.Length)
            {
                Connection!.Close(loop, new Completion(), WebSocketCloseStatus.NormalClosure, "done", this, static (s, _, _, in r) =>
                {
                    s.Error ??= r.Exception;
                    s.CloseStatus = r.CloseStatus;
                    return CallbackAction.Disarm;
                });
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(Expected[_next++]);
            var type = _next % 2 == 0 ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
            Connection!.Send(loop, new Completion(), bytes, // a fresh one: the previous send's callback may not have run yet
                type, this, static (s, _, _, in r) =>
            {
                s.Error ??= r.Exception;
                return CallbackAction.Disarm;
            });
            Connection.Receive(loop, _receive, _buffer, this, static (s, l, _, in r) =>
            {
                if (r.Exception is not null)
                {
                    s.Error = r.Exception;
                    return CallbackAction.Disarm;
                }

                s.PartSizes.Add(r.BytesTransferred);
                s.PartEnds.Add(r.EndOfMessage);
                s._current.Append(Encoding.UTF8.GetString(s._buffer, 0, r.BytesTransferred));
                if (!r.EndOfMessage)
                {
                    return CallbackAction.Rearm; // the rest of the same message
                }

                s.Echoes.Add(s._current.ToString());
                s._current.Clear();
                s.SendNext(l);
                return CallbackAction.Disarm;
            });
        }
    }
}
