using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using EventLoop.Net;

namespace EventLoop.Tests.Backends;

/// <summary>
/// The loop's contract on one backend: TCP accept / connect / receive / send / shutdown / close, cancellation and
/// deadlines, wake-ups from other threads, timers while the backend waits, run modes, wait strategies, Shutdown and a
/// WebSocket (runtime I/O reaching a loop that waits in its backend). One derived class per backend
/// (<see cref="ContractBackendAttribute"/>); a backend the machine refuses is skipped with the kernel's reason.
/// Peers are driven with blocking BCL calls (set-up only) or by the same loop.
/// </summary>
public abstract class BackendContractTests(KestrelWebSocketServer server) : IClassFixture<KestrelWebSocketServer>
{
    private ContractBackendAttribute Setup => (ContractBackendAttribute)Attribute.GetCustomAttribute(GetType(), typeof(ContractBackendAttribute))!;

    /// <summary>What <see cref="Loop.Backend"/> must say.</summary>
    protected virtual LoopBackend ExpectedBackend => Setup.Backend;

    [BackendFact]
    public void The_loop_runs_on_the_backend_asked_for_and_its_tcp_operations_with_it()
    {
        using var loop = NewLoop();
        Assert.Equal(ExpectedBackend, loop.Backend);
        using var pair = new TcpPair();
        var p = new Probe();
        var rx = new Completion();
        pair.Client.Socket.Send("x"u8);
        pair.Server.Receive(loop, rx, p.Buffer, p, Probe.Record);
        loop.Run(RunMode.UntilDone);
        Assert.Equal("x", p.Text);
        switch (ExpectedBackend)
        {
            case LoopBackend.IoUring:
                Assert.IsType<EventLoop.Backends.UringOp>(rx.IoOp);
                Assert.Null(rx.TcpOp);
                break;
            case LoopBackend.Epoll:
                Assert.IsType<EventLoop.Backends.EpollOp>(rx.IoOp);
                Assert.Null(rx.TcpOp);
                break;
            default:
                Assert.NotNull(rx.TcpOp); // the runtime's engine
                Assert.Null(rx.IoOp);
                break;
        }
    }

    [BackendFact]
    public void Echo_with_200_connections_then_the_listener_close_aborts_its_accept()
    {
        using var loop = NewLoop();
        var echo = new EchoHarness(200);
        echo.Start(loop);
        loop.Run(RunMode.UntilDone);
        Assert.Empty(echo.Errors);
        Assert.Equal(200, echo.Accepted);
        Assert.Equal(200 * EchoHarness.RoundTrips, echo.Verified);
        Assert.Equal(200, echo.ServerClosed);
        Assert.True(echo.AcceptEndedAborted);
        Assert.Equal(0, loop.ActiveCount);
    }

    [BackendFact]
    public void Echo_with_busy_spin_wait()
    {
        using var loop = NewLoop(WaitStrategy.BusySpin);
        var echo = new EchoHarness(10);
        echo.Start(loop);
        loop.Run(RunMode.UntilDone);
        Assert.Empty(echo.Errors);
        Assert.Equal(10 * EchoHarness.RoundTrips, echo.Verified);
    }

    [BackendFact]
    public void Echo_with_spin_then_block_wait()
    {
        using var loop = NewLoop(WaitStrategy.SpinThenBlock);
        var echo = new EchoHarness(10);
        echo.Start(loop);
        loop.Run(RunMode.UntilDone);
        Assert.Empty(echo.Errors);
        Assert.Equal(10 * EchoHarness.RoundTrips, echo.Verified);
    }

    [BackendFact]
    public void A_canceled_receive_reports_aborted_and_the_socket_stays_usable()
    {
        using var loop = NewLoop();
        using var pair = new TcpPair();
        var p = new Probe();
        var rx = new Completion();
        pair.Server.Receive(loop, rx, p.Buffer, p, Probe.Record);
        loop.Run(RunMode.NoWait); // the receive is now with the kernel (or parked)
        Assert.True(loop.Cancel(rx));
        Assert.False(loop.Cancel(rx)); // a cancel is already pending
        loop.Run(RunMode.UntilDone);
        var canceled = Assert.Single(p.Results);
        Assert.True(canceled.IsCanceled);
        Assert.Equal(SocketError.OperationAborted, canceled.SocketError);

        pair.Client.Socket.Send("after"u8);
        pair.Server.Receive(loop, rx, p.Buffer, p, Probe.Record);
        loop.Run(RunMode.UntilDone);
        Assert.Equal("after", p.Text);
    }

    [BackendFact]
    public void A_receive_past_its_deadline_reports_timed_out_and_the_socket_stays_usable()
    {
        using var loop = NewLoop();
        using var pair = new TcpPair();
        var p = new Probe();
        pair.Server.Receive(loop, new Completion(), p.Buffer, TimeSpan.FromMilliseconds(20), p, Probe.Record);
        loop.Run(RunMode.UntilDone);
        var r = Assert.Single(p.Results);
        Assert.True(r.IsTimedOut);
        Assert.Equal(SocketError.TimedOut, r.SocketError);

        pair.Client.Socket.Send("late"u8);
        pair.Server.Receive(loop, new Completion(), p.Buffer, TimeSpan.FromSeconds(30), p, Probe.Record);
        loop.Run(RunMode.UntilDone);
        Assert.Equal("late", p.Text);
    }

    [BackendFact]
    public void Closing_sockets_aborts_their_pending_accept_and_receive()
    {
        using var loop = NewLoop();
        using var listener = Listener();
        using var pair = new TcpPair();
        var p = new Probe();
        listener.Accept(loop, new Completion(), p, Probe.Record);
        pair.Server.Receive(loop, new Completion(), p.Buffer, p, Probe.Record);
        var state = (listener, pair.Server);
        loop.Timer(new Completion(), TimeSpan.Zero, new StrongBox<(Tcp, Tcp)>(state), static (s, l, _, in _) =>
        {
            s.Value.Item1.Close(l, new Completion(), s, static (_, _, _, in r) =>
            {
                Assert.True(r.IsSuccess);
                return CallbackAction.Disarm;
            });
            s.Value.Item2.Dispose(); // on the loop thread: the backend stops its operations first
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(2, p.Results.Count);
        Assert.All(p.Results, r => Assert.Equal(SocketError.OperationAborted, r.SocketError));
        Assert.Null(p.Accepted);
    }

    [BackendFact]
    public void Disposing_a_socket_from_another_thread_during_a_run_aborts_its_receive()
    {
        using var loop = NewLoop();
        using var pair = new TcpPair();
        var p = new Probe();
        pair.Server.Receive(loop, new Completion(), p.Buffer, p, Probe.Record);
        var closer = new Thread(pair.Server.Dispose);
        loop.Timer(new Completion(), TimeSpan.Zero, closer, static (th, _, _, in _) =>
        {
            th.Start(); // while the loop runs (and waits in its backend)
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        closer.Join();
        Assert.Equal(SocketError.OperationAborted, Assert.Single(p.Results).SocketError);
        Assert.True(pair.Server.Socket.SafeHandle.IsClosed);
    }

    [BackendFact]
    public void A_send_the_peer_never_reads_times_out()
    {
        using var loop = NewLoop();
        using var pair = new TcpPair();
        var p = new Probe();
        pair.Client.Send(loop, new Completion(), new byte[64 << 20], TimeSpan.FromMilliseconds(50), p, Probe.Record);
        loop.Run(RunMode.UntilDone);
        var r = Assert.Single(p.Results);
        Assert.True(r.IsTimedOut);
        Assert.Equal(SocketError.TimedOut, r.SocketError);
    }

    [BackendFact]
    public void A_cancel_racing_the_completion_runs_the_callback_exactly_once()
    {
        using var loop = NewLoop();
        using var pair = new TcpPair();
        var p = new Probe();
        var rx = new Completion();
        int expected = 0;
        for (int i = 0; i < 200; i++)
        {
            pair.Server.Receive(loop, rx, p.Buffer, p, Probe.Record);
            pair.Client.Socket.Send("r"u8);
            loop.Run(RunMode.NoWait); // the byte may or may not have been received by now
            bool canceled = loop.Cancel(rx);
            loop.Run(RunMode.UntilDone);
            expected++;
            Assert.Equal(expected, p.Results.Count); // exactly one callback per receive, canceled or not
            Assert.True(!canceled || p.Results[^1].IsCanceled);
        }

        // Whatever the canceled receives dropped, the stream is intact afterwards.
        p.Text = "";
        pair.Client.Socket.Send("end"u8);
        while (!p.Text.EndsWith("end", StringComparison.Ordinal))
        {
            pair.Server.Receive(loop, rx, p.Buffer, p, Probe.Record);
            loop.Run(RunMode.UntilDone);
        }
    }

    [BackendFact]
    public void A_connect_to_a_host_name_then_receive_and_send_on_the_now_non_blocking_socket()
    {
        using var loop = NewLoop();
        using var listener = Listener();
        var p = new Probe();
        listener.Accept(loop, new Completion(), p, Probe.Record);
        using var client = new Tcp();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        // A name: the runtime's connect resolves and connects it (and leaves the descriptor O_NONBLOCK); the
        // operations after it run on the backend, which must cope with a descriptor that says "would block".
        client.Connect(loop, new Completion(), new DnsEndPoint("localhost", port, AddressFamily.InterNetwork), p, Probe.Record);
        loop.Run(RunMode.UntilDone);
        Assert.All(p.Results, r => Assert.True(r.IsSuccess, r.SocketError.ToString()));
        using var server = p.Accepted!;
        p.Results.Clear();
        client.Receive(loop, new Completion(), p.Buffer, p, Probe.Record); // nothing there yet: it has to wait
        loop.Run(RunMode.NoWait);
        server.Send(loop, new Completion(), "named"u8.ToArray(), p, static (_, _, _, in r) =>
        {
            Assert.True(r.IsSuccess);
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal("named", p.Text);
    }

    [BackendFact]
    public void Operations_handed_to_the_kernel_by_a_thread_that_has_exited_still_complete()
    {
        using var loop = NewLoop();
        using var pair = new TcpPair();
        var p = new Probe();
        pair.Server.Receive(loop, new Completion(), p.Buffer, p, Probe.Record);
        var first = new Thread(() => loop.Run(RunMode.NoWait)); // this thread submits the receive, then ends
        first.Start();
        first.Join();
        pair.Client.Socket.Send("still here"u8);
        loop.Run(RunMode.UntilDone); // another thread reaps it
        var r = Assert.Single(p.Results);
        Assert.True(r.IsSuccess, r.SocketError.ToString());
        Assert.Equal("still here", p.Text);
    }

    [BackendFact]
    public void A_canceled_accept_leaves_the_listener_usable()
    {
        using var loop = NewLoop();
        using var listener = Listener();
        var p = new Probe();
        var accept = new Completion();
        listener.Accept(loop, accept, p, Probe.Record);
        loop.Run(RunMode.NoWait);
        Assert.True(loop.Cancel(accept));
        loop.Run(RunMode.UntilDone);
        Assert.True(Assert.Single(p.Results).IsCanceled);

        using var client = new Tcp();
        listener.Accept(loop, accept, p, Probe.Record);
        client.Connect(loop, new Completion(), listener.LocalEndPoint!, p, Probe.Record);
        loop.Run(RunMode.UntilDone);
        Assert.Equal(3, p.Results.Count);
        Assert.All(p.Results.Skip(1), r => Assert.True(r.IsSuccess, r.SocketError.ToString()));
        using var accepted = p.Accepted!;
        Assert.Equal(client.LocalEndPoint, accepted.Socket.RemoteEndPoint);
        Assert.Equal(listener.LocalEndPoint, accepted.LocalEndPoint);
    }

    [BackendFact]
    public void A_connect_to_a_closed_port_is_refused_and_rearm_tries_again()
    {
        using var loop = NewLoop();
        // Bound and never listening, and held for the whole test: the connect is refused, and neither another
        // process nor the client's own ephemeral port (a TCP self-connect) can take the port meanwhile.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)probe.LocalEndPoint!).Port;

        using var client = new Tcp();
        var p = new Probe();
        client.Connect(loop, new Completion(), new IPEndPoint(IPAddress.Loopback, port), p, static (p2, l, c, in r) =>
        {
            p2.Results.Add(r);
            return p2.Results.Count < 2 ? CallbackAction.Rearm : CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(2, p.Results.Count);
        Assert.All(p.Results, r => Assert.Equal(SocketError.ConnectionRefused, r.SocketError));
    }

    [BackendFact]
    public void A_large_send_completes_only_when_every_byte_went_out()
    {
        const int size = 8 << 20;
        using var loop = NewLoop();
        using var pair = new TcpPair();
        var data = new byte[size];
        for (int i = 0; i < size; i++)
        {
            data[i] = (byte)(i % 251);
        }

        var sink = new Sink(size);
        pair.Client.Send(loop, new Completion(), data, sink, static (s, _, _, in r) =>
        {
            s.SendResult = r;
            return CallbackAction.Disarm;
        });
        pair.Server.Receive(loop, new Completion(), sink.Buffer, sink, Sink.OnReceive);
        loop.Run(RunMode.UntilDone);
        Assert.True(sink.SendResult.IsSuccess, sink.SendResult.SocketError.ToString());
        Assert.Equal(size, sink.SendResult.BytesTransferred);
        Assert.Equal(size, sink.Received);
        Assert.True(sink.InOrder);
    }

    [BackendFact]
    public void A_shutdown_of_the_send_side_is_the_end_of_the_stream_for_the_peer()
    {
        using var loop = NewLoop();
        using var pair = new TcpPair();
        var p = new Probe();
        pair.Client.Send(loop, new Completion(), "bye"u8.ToArray(), p, static (p2, l, c, in r) =>
        {
            Assert.True(r.IsSuccess);
            p2.Client!.Shutdown(l, c, SocketShutdown.Send, p2, static (_, _, _, in r2) =>
            {
                Assert.True(r2.IsSuccess);
                return CallbackAction.Disarm;
            });
            return CallbackAction.Disarm;
        });
        p.Client = pair.Client;
        pair.Server.Receive(loop, new Completion(), p.Buffer, p, static (p2, _, _, in r) =>
        {
            p2.Results.Add(r);
            p2.Text += Encoding.ASCII.GetString(p2.Buffer, 0, r.BytesTransferred);
            return r.BytesTransferred > 0 ? CallbackAction.Rearm : CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal("bye", p.Text);
        Assert.True(p.Results[^1].IsSuccess);
        Assert.Equal(0, p.Results[^1].BytesTransferred);
    }

    [BackendFact]
    public void Once_returns_after_a_timer_while_a_receive_waits_in_the_backend()
    {
        using var loop = NewLoop();
        using var pair = new TcpPair();
        var p = new Probe();
        var rx = new Completion();
        pair.Server.Receive(loop, rx, p.Buffer, p, Probe.Record);
        bool fired = false;
        var t = new Completion();
        var box = new StrongBox<bool>();
        loop.Timer(t, TimeSpan.FromMilliseconds(5), box, static (b, _, _, in _) =>
        {
            b.Value = true;
            return CallbackAction.Disarm;
        });
        long armedAt = loop.Now.Ticks;
        loop.Run(RunMode.Once);
        fired = box.Value;
        Assert.True(fired);
        Assert.Empty(p.Results);
        Assert.True(loop.Now.Ticks - armedAt >= TimeSpan.FromMilliseconds(5).Ticks); // never early
        Assert.True(loop.Cancel(rx));
        loop.Run(RunMode.UntilDone);
        Assert.True(Assert.Single(p.Results).IsCanceled);
    }

    [BackendFact]
    public void A_post_from_another_thread_wakes_the_backend_wait()
    {
        using var loop = NewLoop();
        using var pair = new TcpPair();
        var p = new Probe();
        var rx = new Completion();
        pair.Server.Receive(loop, rx, p.Buffer, p, Probe.Record); // keeps the loop waiting in its backend
        var poster = new Thread(() => loop.Post(new Completion(), rx, static (c, l, _, in _) =>
        {
            Assert.True(l.Cancel(c));
            return CallbackAction.Disarm;
        }));
        loop.Timer(new Completion(), TimeSpan.Zero, poster, static (th, _, _, in _) =>
        {
            th.Start(); // once the loop runs: the post crosses threads
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        poster.Join();
        Assert.True(Assert.Single(p.Results).IsCanceled);
    }

    [BackendFact]
    public void Stop_and_Notify_from_another_thread_wake_the_backend_wait()
    {
        using var loop = NewLoop();
        using var pair = new TcpPair();
        var p = new Probe();
        var rx = new Completion();
        pair.Server.Receive(loop, rx, p.Buffer, p, Probe.Record);
        var notifier = new Notifier(loop);
        int notified = 0;
        var box = new StrongBox<int>();
        notifier.Wait(new Completion(), box, static (b, _, _, in r) =>
        {
            b.Value += r.IsCanceled ? 0 : 1;
            return CallbackAction.Disarm;
        });
        var other = new Thread(() => notifier.Notify());
        loop.Timer(new Completion(), TimeSpan.Zero, other, static (th, _, _, in _) =>
        {
            th.Start();
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.Once); // the timer
        loop.Run(RunMode.Once); // the notification, from the other thread
        other.Join();
        notified = box.Value;
        Assert.Equal(1, notified);

        var stopper = new Thread(loop.Stop);
        loop.Timer(new Completion(), TimeSpan.Zero, stopper, static (th, _, _, in _) =>
        {
            th.Start();
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone); // only the Stop can end it: the receive stays pending
        stopper.Join();
        Assert.Empty(p.Results);
        Assert.True(loop.Cancel(rx));
        loop.Run(RunMode.UntilDone);
        Assert.True(Assert.Single(p.Results).IsCanceled);
    }

    [BackendFact]
    public void NoWait_never_blocks_and_still_delivers_the_io()
    {
        using var loop = NewLoop();
        using var pair = new TcpPair();
        var p = new Probe();
        pair.Server.Receive(loop, new Completion(), p.Buffer, p, Probe.Record);
        loop.Run(RunMode.NoWait);
        Assert.Empty(p.Results);
        pair.Client.Socket.Send("tick"u8);
        while (p.Results.Count == 0)
        {
            loop.Run(RunMode.NoWait); // returns at once each time; the data is already on its way
        }

        Assert.Equal("tick", p.Text);
    }

    [BackendFact]
    public void A_send_queue_delivers_in_order()
    {
        using var loop = NewLoop();
        using var pair = new TcpPair();
        var queue = new TcpSendQueue(loop, pair.Client);
        var expected = new StringBuilder();
        for (int i = 0; i < 200; i++)
        {
            var chunk = $"chunk {i};";
            expected.Append(chunk);
            queue.Enqueue(Encoding.ASCII.GetBytes(chunk));
        }

        var sink = new TextSink(expected.Length);
        pair.Server.Receive(loop, new Completion(), sink.Buffer, sink, TextSink.OnReceive);
        loop.Run(RunMode.UntilDone);
        Assert.Null(queue.Fault);
        Assert.Equal(expected.ToString(), sink.Text.ToString());
    }

    [BackendFact]
    public void Shutdown_closes_the_sockets_and_cancels_their_pending_operations()
    {
        var loop = NewLoop();
        var listener = Listener();
        var pair = new TcpPair();
        var p = new Probe();
        listener.Accept(loop, new Completion(), p, Probe.Record);
        pair.Server.Receive(loop, new Completion(), p.Buffer, p, Probe.Record);
        loop.Run(RunMode.NoWait);
        Assert.True(loop.Shutdown(TimeSpan.FromSeconds(5)));
        Assert.Equal(2, p.Results.Count);
        Assert.All(p.Results, r => Assert.True(r.IsCanceled));
        Assert.True(listener.Socket.SafeHandle.IsClosed);
        Assert.True(pair.Server.Socket.SafeHandle.IsClosed);
        pair.Dispose();
        loop.Dispose();
    }

    [BackendFact]
    public void A_websocket_round_trip_while_the_loop_waits_in_the_backend()
    {
        using var loop = NewLoop();
        var s = new WsProbe();
        WebSocketConnection.Connect(loop, new Completion(), new Uri(server.BaseUri, "echo"), null, TimeSpan.FromSeconds(30), s, static (s1, l, c, in r) =>
        {
            Assert.Null(r.Exception);
            s1.Connection = r.WebSocket!;
            s1.Connection.Send(l, c, "over the loop"u8.ToArray(), WebSocketMessageType.Text, s1, static (s2, l2, c2, in r2) =>
            {
                Assert.Null(r2.Exception);
                s2.Connection!.Receive(l2, c2, s2.Buffer, s2, static (s3, l3, c3, in r3) =>
                {
                    Assert.Null(r3.Exception);
                    s3.Echo = Encoding.UTF8.GetString(s3.Buffer, 0, r3.BytesTransferred);
                    s3.Connection!.Close(l3, c3, WebSocketCloseStatus.NormalClosure, null, s3, static (_, _, _, in r4) =>
                    {
                        Assert.Null(r4.Exception);
                        return CallbackAction.Disarm;
                    });
                    return CallbackAction.Disarm;
                });
                return CallbackAction.Disarm;
            });
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal("over the loop", s.Echo);
        s.Connection!.Dispose();
    }

    /// <summary>A loop on this class's backend.</summary>
    protected Loop NewLoop(WaitStrategy wait = WaitStrategy.Blocking)
        => new(Setup.Options(wait));

    private static Tcp Listener()
    {
        var listener = new Tcp();
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        return listener;
    }

    private sealed class StrongBox<T>(T value)
    {
        public StrongBox()
            : this(default!)
        {
        }

        public T Value { get; set; } = value;
    }

    private sealed class Probe
    {
        public byte[] Buffer { get; } = new byte[256];

        public List<CompletionResult> Results { get; } = [];

        public string Text { get; set; } = "";

        public Tcp? Accepted { get; set; }

        public Tcp? Client { get; set; }

        public static CallbackAction Record(Probe p, Loop loop, Completion c, in CompletionResult r)
        {
            p.Results.Add(r);
            if (r.Accepted is { } a)
            {
                p.Accepted = a;
            }

            if (r.Operation == Operation.Receive && r.IsSuccess)
            {
                p.Text += Encoding.ASCII.GetString(p.Buffer, 0, r.BytesTransferred);
            }

            return CallbackAction.Disarm;
        }
    }

    private sealed class Sink(int expected)
    {
        public int Expected => expected;

        public byte[] Buffer { get; } = new byte[64 * 1024];

        public int Received { get; private set; }

        public bool InOrder { get; private set; } = true;

        public CompletionResult SendResult { get; set; }

        public static CallbackAction OnReceive(Sink s, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess || r.BytesTransferred == 0)
            {
                return CallbackAction.Disarm;
            }

            for (int i = 0; i < r.BytesTransferred; i++)
            {
                s.InOrder &= s.Buffer[i] == (byte)((s.Received + i) % 251);
            }

            s.Received += r.BytesTransferred;
            return s.Received < s.Expected ? CallbackAction.Rearm : CallbackAction.Disarm;
        }
    }

    private sealed class TextSink(int expected)
    {
        public int Expected => expected;

        public byte[] Buffer { get; } = new byte[512];

        public StringBuilder Text { get; } = new();

        public static CallbackAction OnReceive(TextSink s, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess || r.BytesTransferred == 0)
            {
                return CallbackAction.Disarm;
            }

            s.Text.Append(Encoding.ASCII.GetString(s.Buffer, 0, r.BytesTransferred));
            return s.Text.Length < s.Expected ? CallbackAction.Rearm : CallbackAction.Disarm;
        }
    }

    private sealed class WsProbe
    {
        public byte[] Buffer { get; } = new byte[256];

        public WebSocketConnection? Connection { get; set; }

        public string? Echo { get; set; }
    }
}
