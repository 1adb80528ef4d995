using System.Net;
using EventLoop.Net;

namespace EventLoop.Tests;

/// <summary>Exception safety of submission, loop-thread identity, RunMode.Once and Stop racing the end of Run.</summary>
public sealed class SubmissionTests
{
    [Fact]
    public void Accept_on_a_socket_that_is_not_listening_completes_with_the_error_and_leaves_no_ghost()
    {
        using var loop = new Loop();
        using var notListening = new Tcp();
        notListening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var o = new CancelTests.Outcomes();
        notListening.Accept(loop, new Completion(), o, static (oo, _, _, in r) =>
        {
            oo.Add(in r);
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone); // a ghost (active, never completed) would hang here
        Assert.Equal(["Accept:failed"], o.Entries);
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void A_refused_resubmission_does_not_change_the_live_operation_inputs()
    {
        using var loop = new Loop();
        using var pair = new TcpPair();
        var probe = new Buffers();
        var c = new Completion();
        pair.Client.Receive(loop, c, probe.A, probe, static (p, _, _, in r) =>
        {
            p.Lengths.Add(r.BytesTransferred);
            return p.Lengths.Count < 2 ? CallbackAction.Rearm : CallbackAction.Disarm;
        });
        Assert.Throws<InvalidOperationException>(() => pair.Client.Receive(loop, c, probe.B, probe, static (_, _, _, in _) => CallbackAction.Disarm));
        Assert.Throws<InvalidOperationException>(() => pair.Client.Connect(loop, c, new IPEndPoint(IPAddress.Loopback, 1), probe, static (_, _, _, in _) => CallbackAction.Disarm));
        pair.Server.Socket.Send("one"u8);
        loop.Run(RunMode.Once);
        pair.Server.Socket.Send("two"u8);
        loop.Run(RunMode.UntilDone);
        Assert.Equal("two"u8.ToArray(), probe.A[..3]); // the Rearm received into the first buffer
        Assert.All(probe.B, b => Assert.Equal(0, b));
        Assert.Equal(Operation.Receive, c.Operation);
    }

    [Fact]
    public void A_bad_timeout_throws_before_anything_is_armed()
    {
        using var loop = new Loop();
        using var pair = new TcpPair();
        var c = new Completion();
        Assert.Throws<ArgumentOutOfRangeException>(() => pair.Client.Receive(loop, c, new byte[4], TimeSpan.FromSeconds(-2), this, static (_, _, _, in _) => CallbackAction.Disarm));
        Assert.Equal(CompletionState.Dead, c.State);
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void The_loop_thread_is_the_thread_inside_Run_and_none_after_it_returned()
    {
        using var loop = new Loop();
        var seen = new List<bool>();
        loop.Post(new Completion(), seen, static (s, l, _, in _) =>
        {
            s.Add(l.IsLoopThread);
            return CallbackAction.Disarm;
        });
        Assert.False(loop.IsLoopThread); // constructed here, but no Run yet
        loop.Run(RunMode.UntilDone);
        Assert.Equal([true], seen);
        Assert.False(loop.IsLoopThread); // Run returned: a completion finishing here must take the ring
    }

    [Fact]
    public async Task Run_driven_from_different_pool_threads_in_turn_under_concurrent_completions()
    {
        using var loop = new Loop();
        var probe = new ThreadProbe();
        const int Jobs = 64;
        const int RunsPerJob = 20;
        for (int i = 0; i < Jobs; i++)
        {
            loop.Offload(new Completion(), probe, static p => Interlocked.Increment(ref p.WorkDone), static (p, _, _, in r) =>
            {
                Assert.True(r.IsSuccess);
                if (Environment.CurrentManagedThreadId != Volatile.Read(ref p.RunThread))
                {
                    p.WrongThread++;
                }

                return ++p.Callbacks % RunsPerJob == 0 ? CallbackAction.Disarm : CallbackAction.Rearm;
            });
        }

        int rounds = 0;
        while (loop.ActiveCount > 0)
        {
            rounds++;
            await Task.Run(() =>
            {
                Volatile.Write(ref probe.RunThread, Environment.CurrentManagedThreadId);
                loop.Run(RunMode.Once);
                Volatile.Write(ref probe.RunThread, 0);
            });
        }

        Assert.Equal(Jobs * RunsPerJob, probe.Callbacks);
        Assert.Equal(Jobs * RunsPerJob, Volatile.Read(ref probe.WorkDone));
        Assert.Equal(0, probe.WrongThread);
        Assert.True(rounds > 1);
    }

    [Fact]
    public void Run_from_a_second_thread_while_one_runs_throws()
    {
        using var loop = new Loop();
        var probe = new CrossRun();
        loop.Post(new Completion(), probe, static (p, l, _, in _) =>
        {
            var t = new Thread(() => p.Error = Record.Exception(() => l.Run(RunMode.NoWait)));
            t.Start();
            t.Join();
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.IsType<InvalidOperationException>(probe.Error);
    }

    [Fact]
    public void Once_blocks_until_a_callback_ran_and_a_notifier_signal_without_waiter_does_not_count()
    {
        var clock = new HookClock();
        using var loop = new Loop(new LoopOptions { Clock = clock });
        var log = new Log();
        using var gate = new ManualResetEventSlim();
        var notifier = new Notifier(loop);
        loop.Offload(new Completion(), log, _ => gate.Wait(), static (l, _, _, in _) =>
        {
            l.Count++;
            return CallbackAction.Disarm;
        });
        loop.Timer(new Completion(), TimeSpan.FromHours(1), log, static (_, _, _, in _) => CallbackAction.Disarm);
        notifier.Notify(); // its signal arrives with nobody waiting: dispatched, but no user callback runs
        clock.OnRead = () =>
        {
            clock.OnRead = null;
            gate.Set(); // released from inside Run: the work cannot have finished before Run began
        };
        loop.Run(RunMode.Once);
        Assert.Equal(1, log.Count);
        Assert.Equal(1, loop.ActiveCount); // the timer
    }

    [Fact]
    public void A_stop_that_races_the_end_of_Run_stops_the_next_Run()
    {
        var probe = new CrossRun();
        Loop? loopRef = null;
        using var loop = new Loop(new LoopOptions { OnRunEnding = () => { if (probe.StopAtEnd) { loopRef!.Stop(); } } });
        loopRef = loop;
        probe.StopAtEnd = true;
        loop.Post(new Completion(), probe, static (_, _, _, in _) => CallbackAction.Disarm);
        loop.Run(RunMode.UntilDone); // done; the Stop lands after Run decided to return
        probe.StopAtEnd = false;
        Assert.True(loop.StopPending);
        var n = new Notifier(loop);
        n.Wait(new Completion(), probe, static (_, _, _, in _) => CallbackAction.Disarm);
        loop.Run(RunMode.UntilDone); // returns at once: the raced Stop was not lost
        Assert.False(loop.StopPending);
        Assert.Equal(1, loop.ActiveCount);
        n.Notify();
        loop.Run(RunMode.UntilDone);
        Assert.Equal(0, loop.ActiveCount);
    }

    private sealed class Buffers
    {
        public byte[] A { get; } = new byte[8];

        public byte[] B { get; } = new byte[8];

        public List<int> Lengths { get; } = [];
    }

    private sealed class ThreadProbe
    {
        public int RunThread;
        public int WorkDone;

        public int Callbacks { get; set; }

        public int WrongThread { get; set; }
    }

    private sealed class CrossRun
    {
        public Exception? Error { get; set; }

        public bool StopAtEnd { get; set; }
    }
}
