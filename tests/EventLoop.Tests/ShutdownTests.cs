using System.Net.WebSockets;
using EventLoop.Net;

namespace EventLoop.Tests;

/// <summary>Loop.Shutdown: close handshakes with a deadline then abort, sockets closed, everything else canceled, each callback once.</summary>
public sealed class ShutdownTests(KestrelWebSocketServer server) : IClassFixture<KestrelWebSocketServer>
{
    [Fact]
    public void Shutdown_closes_connections_cancels_everything_and_returns_when_nothing_is_active()
    {
        using var loop = new Loop();
        var o = new CancelTests.Outcomes();
        var echo = Connect(loop, "echo");
        var silent = Connect(loop, "silent");
        using var pair = new TcpPair();

        echo.Receive(loop, new Completion(), new byte[64], o, Record);
        silent.Receive(loop, new Completion(), new byte[64], o, Record);
        pair.Client.Receive(loop, new Completion(), new byte[64], o, Record);
        pair.Server.Receive(loop, new Completion(), new byte[64], o, Record);
        loop.Timer(new Completion(), TimeSpan.FromMilliseconds(1), o, Record); // periodic: Rearm
        new Notifier(loop).Wait(new Completion(), o, Record);
        loop.Await(new Completion(), new TaskCompletionSource().Task, o, Record);
        loop.Offload(new Completion(), o, static _ => { }, Record);
        loop.Timer(new Completion(), TimeSpan.FromHours(1), o, static (oo, l, _, in r) =>
        {
            oo.Add(in r);
            l.Timer(new Completion(), TimeSpan.FromHours(1), oo, Record); // a "reconnect" submitted during shutdown
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.NoWait);
        int before = o.Entries.Count(e => e.StartsWith("Timer:ok", StringComparison.Ordinal) || e.StartsWith("Offload:ok", StringComparison.Ordinal));

        Assert.True(loop.Shutdown(TimeSpan.FromSeconds(3)));
        Assert.Equal(0, loop.ActiveCount);
        var after = o.Entries.Skip(before).ToList();
        Assert.All(after, e => Assert.EndsWith(":canceled", e, StringComparison.Ordinal));
        Assert.Equal(
            ["Await", "Notify", "Receive", "Receive", "Timer", "Timer", "Timer", "WebSocketReceive", "WebSocketReceive"],
            after.Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]).Where(op => op != "Offload").Order());
        Assert.Equal(WebSocketState.Closed, echo.WebSocket.State);   // the handshake completed
        Assert.Equal(WebSocketState.Aborted, silent.WebSocket.State); // its peer never answered: aborted at the deadline
        Assert.True(pair.Client.Socket.SafeHandle.IsClosed);
        Assert.True(pair.Server.Socket.SafeHandle.IsClosed);
        Assert.Equal(0, loop.TrackedConnections);

        loop.Post(new Completion(), o, static (oo, _, _, in r) => // still usable
        {
            oo.Add(in r);
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal("Post:ok", o.Entries[^1]);
    }

    private static CallbackAction Record(CancelTests.Outcomes o, Loop loop, Completion c, in CompletionResult r)
    {
        o.Add(in r);
        return CallbackAction.Rearm;
    }

    private WebSocketConnection Connect(Loop loop, string path)
    {
        var holder = new List<WebSocketConnection>();
        WebSocketConnection.Connect(loop, new Completion(), new Uri(server.BaseUri, path), null, TimeSpan.FromSeconds(30), holder, static (h, _, _, in r) =>
        {
            Assert.True(r.IsSuccess, r.Exception?.ToString());
            h.Add(r.WebSocket!);
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        return holder[0];
    }
}
