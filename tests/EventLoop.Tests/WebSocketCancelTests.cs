using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using EventLoop.Net;

namespace EventLoop.Tests;

/// <summary>WebSocket operations that stall end by their deadline or by Loop.Cancel, never Active forever.</summary>
public sealed class WebSocketCancelTests(KestrelWebSocketServer server) : IClassFixture<KestrelWebSocketServer>
{
    private static CallbackAction Record(CancelTests.Outcomes o, Loop loop, Completion c, in CompletionResult r)
    {
        o.Add(in r);
        return CallbackAction.Disarm;
    }

    [Fact]
    public void A_connect_whose_upgrade_is_never_answered_times_out()
    {
        // A listener that never accepts: the kernel completes the TCP handshake, nobody answers the HTTP upgrade.
        using var mute = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        mute.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        mute.Listen();
        using var loop = new Loop();
        var o = new CancelTests.Outcomes();
        var uri = new Uri($"ws://127.0.0.1:{((IPEndPoint)mute.LocalEndPoint!).Port}/");
        WebSocketConnection.Connect(loop, new Completion(), uri, null, TimeSpan.FromMilliseconds(100), o, Record);
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["WebSocketConnect:timedout"], o.Entries);
        Assert.IsType<TimeoutException>(o.LastException);
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void A_stalled_connect_can_be_canceled()
    {
        using var mute = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        mute.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        mute.Listen();
        using var loop = new Loop();
        var o = new CancelTests.Outcomes();
        var c = new Completion();
        WebSocketConnection.Connect(loop, c, new Uri($"ws://127.0.0.1:{((IPEndPoint)mute.LocalEndPoint!).Port}/"), null, o, Record);
        loop.Run(RunMode.NoWait);
        Assert.True(loop.Cancel(c));
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["WebSocketConnect:canceled"], o.Entries);
        Assert.IsType<OperationCanceledException>(o.LastException);
    }

    [Fact]
    public void A_close_handshake_the_peer_never_answers_times_out_and_aborts()
    {
        using var loop = new Loop();
        var o = new CancelTests.Outcomes();
        var conn = Connect(loop, "silent");
        conn.Close(loop, new Completion(), WebSocketCloseStatus.NormalClosure, "bye", TimeSpan.FromMilliseconds(100), o, Record);
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["WebSocketClose:timedout"], o.Entries);
        Assert.Equal(WebSocketState.Aborted, conn.WebSocket.State);
        conn.Dispose();
    }

    [Fact]
    public void A_canceled_receive_calls_back_once_canceled_and_the_runtime_aborts_the_socket()
    {
        using var loop = new Loop();
        var o = new CancelTests.Outcomes();
        var conn = Connect(loop, "silent");
        var c = new Completion();
        conn.Receive(loop, c, new byte[64], o, static (oo, _, _, in r) =>
        {
            oo.Add(in r);
            Assert.False(r.HasMessage);
            var copy = r;
            Assert.Throws<InvalidOperationException>(() => copy.MessageType); // a failure is never a Text message
            return CallbackAction.Rearm;
        });
        loop.Run(RunMode.NoWait);
        Assert.True(loop.Cancel(c));
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["WebSocketReceive:canceled"], o.Entries);
        Assert.Equal(WebSocketState.Aborted, conn.WebSocket.State);
        conn.Dispose();
    }

    private WebSocketConnection Connect(Loop loop, string path)
    {
        var holder = new Holder();
        WebSocketConnection.Connect(loop, new Completion(), new Uri(server.BaseUri, path), null, TimeSpan.FromSeconds(30), holder, static (h, _, _, in r) =>
        {
            Assert.True(r.IsSuccess, r.Exception?.ToString());
            h.Connection = r.WebSocket;
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        return holder.Connection!;
    }

    private sealed class Holder
    {
        public WebSocketConnection? Connection { get; set; }
    }
}
