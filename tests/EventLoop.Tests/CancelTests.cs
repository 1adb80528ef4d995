using System.Net;
using System.Net.Sockets;
using EventLoop.Net;

namespace EventLoop.Tests;

/// <summary>Loop.Cancel for every kind of operation, and per-operation deadlines (loop timers).</summary>
public sealed class CancelTests
{
    private static CallbackAction Record(Outcomes o, Loop loop, Completion c, in CompletionResult r)
    {
        o.Add(in r);
        return CallbackAction.Rearm; // ignored for a canceled or timed-out completion
    }

    [Fact]
    public void A_canceled_post_and_notifier_wait_run_once_canceled_and_a_later_notify_is_remembered()
    {
        using var loop = new Loop();
        var o = new Outcomes();
        var post = new Completion();
        loop.Post(post, o, Record);
        var notifier = new Notifier(loop);
        var wait = new Completion();
        notifier.Wait(wait, o, Record);
        Assert.True(loop.Cancel(post));
        Assert.True(loop.Cancel(wait));
        Assert.False(loop.Cancel(wait)); // already being canceled
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["Notify:canceled", "Post:canceled"], o.Entries.Order()); // a post made outside Run comes through the ring
        Assert.False(loop.Cancel(wait)); // done: no callback follows a false
        notifier.Notify();
        notifier.Wait(wait, o, static (oo, _, _, in r) =>
        {
            oo.Add(in r);
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal("Notify:ok", o.Entries[^1]);
        Assert.Equal(3, o.Entries.Count);
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void A_canceled_offload_calls_back_canceled_once_after_its_work_returned()
    {
        using var loop = new Loop();
        var o = new Outcomes();
        using var gate = new ManualResetEventSlim();
        var c = new Completion();
        int workRuns = 0;
        loop.Offload(c, o, _ =>
        {
            gate.Wait();
            Interlocked.Increment(ref workRuns);
            return 42;
        }, Record);
        Assert.True(loop.Cancel(c));
        Assert.Equal(CompletionState.Active, c.State); // the work still holds it
        gate.Set();
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["Offload:canceled"], o.Entries);
        Assert.Equal(1, workRuns); // not re-run although the callback returned Rearm
        Assert.Null(o.LastValue);  // a canceled result carries no value
    }

    [Fact]
    public void Cancel_returns_false_inside_the_callback_and_after_it_ran()
    {
        using var loop = new Loop();
        var o = new Outcomes();
        var c = new Completion();
        loop.Timer(c, TimeSpan.Zero, o, static (oo, l, cc, in r) =>
        {
            oo.CancelInsideCallback = l.Cancel(cc);
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.False(o.CancelInsideCallback);
        Assert.False(loop.Cancel(c));
        Assert.False(loop.Cancel(new Completion())); // never submitted
    }

    [Fact]
    public void Many_offloads_canceled_right_after_submission_each_call_back_exactly_once()
    {
        using var loop = new Loop();
        var o = new Outcomes();
        var completions = Enumerable.Range(0, 2000).Select(_ => new Completion()).ToArray();
        foreach (var c in completions)
        {
            loop.Offload(c, o, static _ => { }, Record); // the work races the cancel
            Assert.True(loop.Cancel(c));
        }

        loop.Run(RunMode.UntilDone);
        Assert.Equal(2000, o.Entries.Count);
        Assert.All(o.Entries, e => Assert.Equal("Offload:canceled", e));
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void A_canceled_tcp_receive_reports_aborted_and_the_socket_keeps_working()
    {
        using var loop = new Loop();
        using var pair = new TcpPair();
        var o = new Outcomes();
        var buffer = new byte[16];
        var c = new Completion();
        pair.Client.Receive(loop, c, buffer, o, Record);
        loop.Run(RunMode.NoWait);
        Assert.True(loop.Cancel(c));
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["Receive:canceled"], o.Entries);
        Assert.Equal(SocketError.OperationAborted, o.LastSocketError);

        pair.Server.Socket.Send("ping"u8);
        pair.Client.Receive(loop, c, buffer, o, static (oo, _, _, in r) =>
        {
            oo.Add(in r);
            oo.LastBytes = r.BytesTransferred;
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal("Receive:ok", o.Entries[^1]);
        Assert.Equal("ping"u8.ToArray(), buffer[..o.LastBytes]);
    }

    [Fact]
    public void A_tcp_receive_deadline_is_a_loop_timer_and_reports_timed_out()
    {
        var clock = new ManualClock();
        using var loop = new Loop(new LoopOptions { Clock = clock });
        using var pair = new TcpPair();
        var o = new Outcomes();
        pair.Client.Receive(loop, new Completion(), new byte[16], TimeSpan.FromSeconds(5), o, Record);
        loop.Run(RunMode.NoWait);
        Assert.Empty(o.Entries); // the clock has not moved: no deadline yet
        clock.Advance(TimeSpan.FromSeconds(5));
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["Receive:timedout"], o.Entries);
        Assert.Equal(SocketError.TimedOut, o.LastSocketError);
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void An_operation_that_finishes_first_removes_its_deadline()
    {
        var clock = new ManualClock();
        using var loop = new Loop(new LoopOptions { Clock = clock });
        using var pair = new TcpPair();
        var o = new Outcomes();
        pair.Server.Socket.Send("x"u8);
        pair.Client.Receive(loop, new Completion(), new byte[16], TimeSpan.FromSeconds(5), o, static (oo, _, _, in r) =>
        {
            oo.Add(in r);
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        clock.Advance(TimeSpan.FromSeconds(10));
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["Receive:ok"], o.Entries);
    }

    [Fact]
    public void Canceled_accept_leaves_the_listener_usable_and_canceled_connect_and_send_call_back_once()
    {
        using var loop = new Loop();
        using var listener = new Tcp();
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var o = new Outcomes();
        var accept = new Completion();
        listener.Accept(loop, accept, o, Record);
        loop.Run(RunMode.NoWait);
        Assert.True(loop.Cancel(accept));
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["Accept:canceled"], o.Entries);

        using var client = new Tcp();
        var connect = new Completion();
        client.Connect(loop, connect, listener.LocalEndPoint!, o, Record);
        Assert.True(loop.Cancel(connect)); // whether or not the connect already finished, it reports canceled once
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["Accept:canceled", "Connect:canceled"], o.Entries);

        using var pair = new TcpPair();
        var send = new Completion();
        pair.Client.Send(loop, send, new byte[64], o, Record);
        Assert.True(loop.Cancel(send));
        loop.Run(RunMode.UntilDone);
        Assert.Equal("Send:canceled", o.Entries[^1]);

        listener.Accept(loop, accept, o, static (oo, _, _, in r) =>
        {
            oo.Add(in r);
            r.Accepted?.Dispose();
            return CallbackAction.Disarm;
        });
        using var second = new Tcp();
        second.Connect(loop, new Completion(), listener.LocalEndPoint!, o, static (_, _, _, in _) => CallbackAction.Disarm);
        loop.Run(RunMode.UntilDone);
        Assert.Equal("Accept:ok", o.Entries[^1]);
    }

    [Fact]
    public void An_accept_deadline_times_out_and_the_listener_then_accepts()
    {
        var clock = new ManualClock();
        using var loop = new Loop(new LoopOptions { Clock = clock });
        using var listener = new Tcp();
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var o = new Outcomes();
        var c = new Completion();
        listener.Accept(loop, c, TimeSpan.FromSeconds(1), o, Record);
        clock.Advance(TimeSpan.FromSeconds(1));
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["Accept:timedout"], o.Entries);
        Assert.Equal(SocketError.TimedOut, o.LastSocketError);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        listener.Accept(loop, c, TimeSpan.FromSeconds(1), o, static (oo, _, _, in r) =>
        {
            oo.Add(in r);
            r.Accepted?.Dispose();
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal("Accept:ok", o.Entries[^1]);
    }

    /// <summary>What each callback saw, as "Operation:ok|canceled|timedout|failed".</summary>
    internal sealed class Outcomes
    {
        public List<string> Entries { get; } = [];

        public SocketError LastSocketError { get; private set; }

        public Exception? LastException { get; private set; }

        public object? LastValue { get; private set; }

        public int LastBytes { get; set; }

        public bool CancelInsideCallback { get; set; }

        public void Add(in CompletionResult r)
        {
            LastSocketError = r.SocketError;
            LastException = r.Exception;
            LastValue = r.Value;
            string what = r.IsCanceled ? "canceled" : r.IsTimedOut ? "timedout" : r.IsSuccess ? "ok" : "failed";
            Entries.Add($"{r.Operation}:{what}");
        }
    }
}
