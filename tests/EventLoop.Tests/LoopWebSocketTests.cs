using System.Net.WebSockets;
using System.Security.Authentication;
using System.Text;
using EventLoop.Net;

namespace EventLoop.Tests;

/// <summary>
/// WebSockets (and TLS) over <see cref="LoopStream"/>: the connect, the handshake and every message run on the loop
/// thread, on each backend this machine accepts, against Kestrel (ws:// and wss:// with a test-made certificate).
/// </summary>
public sealed class LoopWebSocketTests(KestrelWebSocketServer server, KestrelTlsServer tls)
    : IClassFixture<KestrelWebSocketServer>, IClassFixture<KestrelTlsServer>
{
    public static TheoryData<LoopBackend> Backends()
    {
        var data = new TheoryData<LoopBackend>();
        foreach (var b in new[] { LoopBackend.IoUring, LoopBackend.Epoll, LoopBackend.Runtime })
        {
            try
            {
                using var loop = new Loop(new LoopOptions { Backend = b });
                data.Add(b);
            }
            catch (NotSupportedException)
            {
                // refused here (the contract tests say why)
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Ws_echo_round_trips_and_close_all_on_the_loop_thread(LoopBackend backend)
    {
        using var loop = new Loop(new LoopOptions { Backend = backend });
        var s = new Session(["hello over the loop stream", new string('z', 60_000)]);
        LoopWebSocket.Connect(loop, new Completion(), new Uri(server.BaseUri, "echo"), o => o.KeepAliveInterval = TimeSpan.Zero, TimeSpan.FromSeconds(30), s, Session.OnConnected);
        loop.Run(RunMode.UntilDone);
        Assert.Null(s.Error);
        Assert.Equal(s.Expected, s.Echoes);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, s.CloseStatus);
        // No read or write of the message exchange started off the loop thread (the close handshake may: the runtime
        // waits for the server's FIN with a timer of its own, and the read after it starts on that timer's thread).
        Assert.Equal([0, 0], s.ForeignAtEcho);
        Assert.True(s.AllOnLoopThread);
        s.Connection!.Dispose();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Wss_echo_with_a_pinned_test_certificate(LoopBackend backend)
    {
        using var loop = new Loop(new LoopOptions { Backend = backend });
        var s = new Session(["secret over TLS on the loop", new string('t', 40_000)]);
        LoopWebSocket.Connect(loop, new Completion(), new Uri(tls.BaseUri, "echo"), o =>
        {
            o.KeepAliveInterval = TimeSpan.Zero;
            o.RemoteCertificateValidationCallback = tls.Pinned;
        }, TimeSpan.FromSeconds(30), s, Session.OnConnected);
        loop.Run(RunMode.UntilDone);
        Assert.Null(s.Error);
        Assert.Equal(s.Expected, s.Echoes);
        Assert.Equal("bye", s.CloseDescription);
        Assert.True(s.AllOnLoopThread);
        s.Connection!.Dispose();
    }

    public static TheoryData<LoopBackend, bool, int> FloodCases()
    {
        var data = new TheoryData<LoopBackend, bool, int>();
        foreach (var b in LoopStreamTests.Available())
        {
            foreach (bool secure in new[] { false, true })
            {
                data.Add(b, secure, LoopStream.DefaultReceiveBufferSize);
                data.Add(b, secure, 97); // TLS records and frames straddle many fills of a small buffer
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BackendsOnly))]
    public void Wss_echo_through_a_receive_buffer_smaller_than_a_TLS_record(LoopBackend backend)
    {
        using var loop = new Loop(new LoopOptions { Backend = backend });
        var s = new Session(["small", new string('r', 40_000), "after the large one"]);
        LoopWebSocket.Connect(loop, new Completion(), new Uri(tls.BaseUri, "echo"), o =>
        {
            o.KeepAliveInterval = TimeSpan.Zero;
            o.RemoteCertificateValidationCallback = tls.Pinned;
            o.ReceiveBufferSize = 97;
        }, TimeSpan.FromSeconds(30), s, Session.OnConnected);
        loop.Run(RunMode.UntilDone);
        Assert.Null(s.Error);
        Assert.Equal(s.Expected, s.Echoes);
        Assert.Equal("bye", s.CloseDescription);
        Assert.True(s.AllOnLoopThread);
        s.Connection!.Dispose();
    }

    /// <summary>
    /// 20,000 pushed messages, every one checked, then the server's close: in steady state (messages 5,000 to 15,000)
    /// the loop thread, which runs the receive, the TLS and the framing, allocates nothing.
    /// </summary>
    [Theory]
    [MemberData(nameof(FloodCases))]
    public void A_flood_of_messages_arrives_whole_and_in_order_allocating_nothing_per_message(LoopBackend backend, bool secure, int receiveBufferSize)
    {
        using var loop = new Loop(new LoopOptions { Backend = backend });
        var f = new Flood(20_000);
        var uri = new Uri(secure ? tls.BaseUri : server.BaseUri, $"flood?n={f.Expected}");
        LoopWebSocket.Connect(loop, new Completion(), uri, o =>
        {
            o.KeepAliveInterval = TimeSpan.Zero;
            o.RemoteCertificateValidationCallback = secure ? tls.Pinned : null;
            o.ReceiveBufferSize = receiveBufferSize;
        }, TimeSpan.FromSeconds(30), f, Flood.OnConnected);
        loop.Run(RunMode.UntilDone);
        Assert.Null(f.Error);
        Assert.Equal(f.Expected, f.Received);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, f.CloseStatus);
        if (backend == LoopBackend.Runtime)
        {
            // The runtime's socket engine returns its cached receive operation to the socket only after the
            // completion it handed over has run; a receive the loop starts before that gets a fresh one (~80 B),
            // now and then. Anything per message would be >= 24 B x 10,000.
            Assert.InRange(f.SteadyStateBytes, 0, 10_000);
        }
        else
        {
            Assert.Equal(0, f.SteadyStateBytes);
        }

        f.Connection!.Dispose();
    }

    public static TheoryData<LoopBackend> BackendsOnly() => Backends();

    [Fact]
    public void Shutdown_runs_the_close_handshake_of_a_loop_stream_websocket()
    {
        var loop = new Loop();
        var p = new Pushed();
        LoopWebSocket.Connect(loop, new Completion(), new Uri(server.BaseUri, "echo"), null, TimeSpan.FromSeconds(30), p, static (p1, l, c, in r) =>
        {
            Assert.Null(r.Exception);
            p1.Connection = r.WebSocket!;
            p1.Connection.Receive(l, c, p1.Buffer, p1, static (p2, _, _, in r2) =>
            {
                p2.Messages.Add(r2.IsCanceled ? "canceled" : r2.Exception is null ? $"{r2.MessageType}" : "failed");
                return CallbackAction.Disarm;
            });
            l.Stop();
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(WebSocketState.Open, p.Connection!.WebSocket.State);
        Assert.True(loop.Shutdown(TimeSpan.FromSeconds(10)));
        Assert.Single(p.Messages);
        Assert.Equal(WebSocketState.Closed, p.Connection.WebSocket.State);
        loop.Dispose();
    }

    [Fact]
    public void Wss_refuses_a_certificate_that_does_not_validate()
    {
        using var loop = new Loop();
        var s = new Session([]);
        LoopWebSocket.Connect(loop, new Completion(), new Uri(tls.BaseUri, "echo"), null, TimeSpan.FromSeconds(30), s, Session.OnConnected);
        loop.Run(RunMode.UntilDone);
        Assert.IsType<AuthenticationException>(s.Error);
        Assert.Null(s.Connection);
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void Frames_that_arrive_with_the_upgrade_response_are_not_lost()
    {
        using var loop = new Loop();
        var p = new Pushed();
        LoopWebSocket.Connect(loop, new Completion(), new Uri(server.BaseUri, "push"), null, TimeSpan.FromSeconds(30), p, static (p1, l, c, in r) =>
        {
            Assert.Null(r.Exception);
            p1.Connection = r.WebSocket!;
            p1.Connection.Receive(l, c, p1.Buffer, p1, static (p2, l2, _, in r2) =>
            {
                Assert.Null(r2.Exception);
                if (r2.MessageType == WebSocketMessageType.Close)
                {
                    p2.Connection!.Close(l2, new Completion(), WebSocketCloseStatus.NormalClosure, null, p2, static (_, _, _, in _) => CallbackAction.Disarm);
                    return CallbackAction.Disarm;
                }

                p2.Messages.Add(Encoding.UTF8.GetString(p2.Buffer, 0, r2.BytesTransferred));
                return CallbackAction.Rearm;
            });
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["message 1", "message 2", "message 3"], p.Messages);
        p.Connection!.Dispose();
    }

    [Fact]
    public void A_server_that_does_not_switch_protocols_fails_the_connect_naming_its_status()
    {
        using var loop = new Loop();
        var s = new Session([]);
        var uri = new Uri($"ws://{server.HttpUri.Authority}/rest");
        LoopWebSocket.Connect(loop, new Completion(), uri, null, TimeSpan.FromSeconds(30), s, Session.OnConnected);
        loop.Run(RunMode.UntilDone);
        var e = Assert.IsType<WebSocketException>(s.Error);
        Assert.Contains("instead of 101", e.Message);
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void A_connect_past_its_deadline_times_out()
    {
        using var loop = new Loop();
        using var mute = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        mute.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        mute.Listen(); // accepts the TCP connection (backlog) and never answers the upgrade
        var s = new Session([]);
        var port = ((System.Net.IPEndPoint)mute.LocalEndPoint!).Port;
        LoopWebSocket.Connect(loop, new Completion(), new Uri($"ws://127.0.0.1:{port}/"), null, TimeSpan.FromMilliseconds(100), s, Session.OnConnected);
        loop.Run(RunMode.UntilDone);
        Assert.True(s.TimedOut);
        Assert.Equal(0, loop.ActiveCount);
    }

    private sealed class Session(string[] expected)
    {
        private int _next;
        private int _loopThread;

        public string[] Expected => expected;

        public List<string> Echoes { get; } = [];

        public List<int> ForeignAtEcho { get; } = [];

        public Exception? Error { get; private set; }

        public bool TimedOut { get; private set; }

        public WebSocketConnection? Connection { get; private set; }

        public LoopStream? Stream { get; private set; }

        public WebSocketCloseStatus? CloseStatus { get; private set; }

        public string? CloseDescription { get; private set; }

        public bool AllOnLoopThread { get; private set; } = true;

        public byte[] Buffer { get; } = new byte[128 * 1024];

        public int Filled { get; set; }

        public static CallbackAction OnConnected(Session s, Loop loop, Completion c, in CompletionResult r)
        {
            s._loopThread = Environment.CurrentManagedThreadId;
            if (r.Exception is not null)
            {
                s.Error = r.Exception is AggregateException { InnerException: { } inner } ? inner : r.Exception;
                s.TimedOut = r.IsTimedOut;
                return CallbackAction.Disarm;
            }

            s.Connection = r.WebSocket!;
            s.Stream = FindLoopStream(s.Connection);
            s.SendNext(loop, c);
            return CallbackAction.Disarm;
        }

        private static LoopStream? FindLoopStream(WebSocketConnection connection)
        {
            // The ManagedWebSocket keeps its stream in a private field; reflection is for this test only.
            var field = connection.WebSocket.GetType().GetField("_stream", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance);
            var stream = field?.GetValue(connection.WebSocket);
            return stream as LoopStream ?? ((stream as Stream) is { } st && st.GetType().GetProperty("Inner", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)?.GetValue(st) is LoopStream ls ? ls : null);
        }

        private void Check()
        {
            AllOnLoopThread &= Environment.CurrentManagedThreadId == _loopThread;
        }

        private void SendNext(Loop loop, Completion c)
        {
            if (_next == expected.Length)
            {
                Connection!.Close(loop, c, WebSocketCloseStatus.NormalClosure, "done", this, static (s, _, _, in r) =>
                {
                    s.Check();
                    s.Error ??= r.Exception;
                    s.CloseStatus = s.Connection!.WebSocket.CloseStatus;
                    s.CloseDescription = s.Connection.WebSocket.CloseStatusDescription;
                    return CallbackAction.Disarm;
                });
                return;
            }

            Connection!.Send(loop, c, Encoding.UTF8.GetBytes(expected[_next]), WebSocketMessageType.Text, this, static (s, l, c2, in r) =>
            {
                s.Check();
                if (r.Exception is not null)
                {
                    s.Error = r.Exception;
                    return CallbackAction.Disarm;
                }

                s.Filled = 0;
                s.Connection!.Receive(l, c2, s.Buffer, s, OnEcho);
                return CallbackAction.Disarm;
            });
        }

        private static CallbackAction OnEcho(Session s, Loop loop, Completion c, in CompletionResult r)
        {
            s.Check();
            if (r.Exception is not null)
            {
                s.Error = r.Exception;
                return CallbackAction.Disarm;
            }

            s.Filled += r.BytesTransferred;
            if (!r.EndOfMessage)
            {
                s.Connection!.Receive(loop, c, s.Buffer.AsMemory(s.Filled), s, OnEcho);
                return CallbackAction.Disarm;
            }

            s.Echoes.Add(Encoding.UTF8.GetString(s.Buffer, 0, s.Filled));
            s.ForeignAtEcho.Add(s.Stream?.ForeignStarts ?? -1);
            s._next++;
            s.SendNext(loop, c);
            return CallbackAction.Disarm;
        }
    }

    /// <summary>Counts /flood's messages, checks each one's number and padding without allocating, measures the loop thread's allocations.</summary>
    private sealed class Flood(int expected)
    {
        private long _allocatedAt5000;

        public int Expected => expected;

        public int Received { get; private set; }

        public long SteadyStateBytes { get; private set; } = -1;

        public Exception? Error { get; private set; }

        public WebSocketCloseStatus? CloseStatus { get; private set; }

        public WebSocketConnection? Connection { get; private set; }

        public byte[] Buffer { get; } = new byte[4096];

        public static CallbackAction OnConnected(Flood f, Loop loop, Completion c, in CompletionResult r)
        {
            if (r.Exception is not null)
            {
                f.Error = r.Exception;
                return CallbackAction.Disarm;
            }

            f.Connection = r.WebSocket!;
            f.Connection.Receive(loop, c, f.Buffer, f, OnMessage);
            return CallbackAction.Disarm;
        }

        private static CallbackAction OnMessage(Flood f, Loop loop, Completion c, in CompletionResult r)
        {
            if (r.Exception is not null)
            {
                f.Error = r.Exception;
                return CallbackAction.Disarm;
            }

            if (r.MessageType == WebSocketMessageType.Close)
            {
                f.CloseStatus = r.CloseStatus;
                f.Connection!.Close(loop, c, WebSocketCloseStatus.NormalClosure, null, f, static (f2, _, _, in r2) =>
                {
                    f2.Error ??= r2.Exception;
                    return CallbackAction.Disarm;
                });
                return CallbackAction.Disarm;
            }

            int n = f.Received + 1;
            var m = f.Buffer.AsSpan(0, r.BytesTransferred);
            if (!r.EndOfMessage || m.Length != FloodEndpoint.MessageLength || !m.StartsWith("message "u8) || m[^1] != (byte)'.'
                || !System.Buffers.Text.Utf8Parser.TryParse(m["message ".Length..], out int number, out _) || number != n)
            {
                f.Error = new InvalidOperationException($"message {n} is wrong: '{Encoding.ASCII.GetString(m)}'");
                return CallbackAction.Disarm;
            }

            f.Received = n;
            if (n == 5_000)
            {
                f._allocatedAt5000 = GC.GetAllocatedBytesForCurrentThread();
            }
            else if (n == 15_000)
            {
                f.SteadyStateBytes = GC.GetAllocatedBytesForCurrentThread() - f._allocatedAt5000;
            }

            return CallbackAction.Rearm;
        }
    }

    private sealed class Pushed
    {
        public byte[] Buffer { get; } = new byte[256];

        public List<string> Messages { get; } = [];

        public WebSocketConnection? Connection { get; set; }
    }
}
