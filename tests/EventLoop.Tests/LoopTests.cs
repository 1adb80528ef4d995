namespace EventLoop.Tests;

public sealed class LoopTests
{
    private static CallbackAction Count(Log log, Loop loop, Completion c, in CompletionResult r)
    {
        log.Count++;
        return CallbackAction.Disarm;
    }

    [Fact]
    public void NoWait_runs_what_is_ready_and_never_blocks()
    {
        var clock = new ManualClock();
        using var loop = new Loop(new LoopOptions { Clock = clock });
        var log = new Log();
        loop.Timer(new Completion(), TimeSpan.FromHours(1), log, Count);
        loop.Post(new Completion(), log, Count);
        loop.Run(RunMode.NoWait); // a one-hour timer is pending: blocking here would hang the test
        Assert.Equal(1, log.Count);
        Assert.Equal(1, loop.ActiveCount);
    }

    [Fact]
    public void Once_blocks_until_a_callback_ran_then_returns()
    {
        using var loop = new Loop();
        var log = new Log();
        var gate = new ManualResetEventSlim();
        // The work blocks until released, so Once must really wait for the cross-thread completion.
        loop.Offload(new Completion(), log, _ => gate.Wait(), Count);
        loop.Timer(new Completion(), TimeSpan.FromHours(1), log, Count);
        gate.Set();
        loop.Run(RunMode.Once);
        Assert.Equal(1, log.Count);
        Assert.Equal(1, loop.ActiveCount); // the timer
    }

    [Fact]
    public void Once_and_UntilDone_return_at_once_when_nothing_is_active()
    {
        using var loop = new Loop();
        loop.Run(RunMode.Once);
        loop.Run(RunMode.UntilDone);
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void UntilDone_runs_every_completion_including_those_armed_by_callbacks()
    {
        using var loop = new Loop();
        var log = new Log();
        loop.Timer(new Completion(), TimeSpan.FromMilliseconds(1), log, static (l, lp, _, in _) =>
        {
            l.Add("timer");
            lp.Post(new Completion(), l, static (l2, _, _, in _) =>
            {
                l2.Add("post");
                return CallbackAction.Disarm;
            });
            return CallbackAction.Disarm;
        });
        loop.Offload(new Completion(), log, static _ => { }, static (l, _, _, in _) =>
        {
            l.Add("offload");
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(3, log.Entries.Count);
        Assert.True(log.Entries.IndexOf("timer") < log.Entries.IndexOf("post"));
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void Stop_from_a_callback_ends_UntilDone_and_the_loop_can_run_again()
    {
        var clock = new ManualClock();
        using var loop = new Loop(new LoopOptions { Clock = clock });
        var log = new Log();
        var c = new Completion();
        loop.Post(c, log, static (l, lp, _, in _) =>
        {
            if (++l.Count == 3)
            {
                lp.Stop();
            }

            return CallbackAction.Rearm;
        });
        loop.Run(RunMode.UntilDone); // would spin forever without Stop
        Assert.Equal(3, log.Count);
        Assert.Equal(CompletionState.Active, c.State);
        loop.Run(RunMode.NoWait);
        Assert.Equal(4, log.Count);
    }

    [Fact]
    public void Stop_from_another_thread_wakes_a_blocked_loop()
    {
        using var loop = new Loop();
        var notifier = new Notifier(loop);
        var log = new Log();
        notifier.Wait(new Completion(), log, Count); // keeps UntilDone alive with nothing to do
        // Stop after the loop has started; if it raced ahead of Run it is remembered, so either way Run returns.
        loop.Timer(new Completion(), TimeSpan.Zero, loop, static (lp, _, _, in _) =>
        {
            new Thread(lp.Stop).Start();
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(0, log.Count);
        Assert.Equal(1, loop.ActiveCount);
    }

    [Fact]
    public void A_stop_before_run_is_remembered_once()
    {
        using var loop = new Loop();
        var log = new Log();
        var n = new Notifier(loop);
        n.Wait(new Completion(), log, Count);
        loop.Stop();
        loop.Run(RunMode.UntilDone); // returns although the wait is active
        n.Notify();
        loop.Run(RunMode.UntilDone); // the stop was spent: runs until the wait is done
        Assert.Equal(1, log.Count);
    }

    [Fact]
    public void A_throwing_callback_ends_Run_and_leaves_the_loop_usable()
    {
        using var loop = new Loop();
        var log = new Log();
        var bad = new Completion();
        loop.Post(new Completion(), log, Count);
        loop.Post(bad, log, static (_, _, _, in _) => throw new InvalidDataException("boom"));
        loop.Post(new Completion(), log, Count);
        loop.Post(new Completion(), log, Count);
        var e = Assert.Throws<InvalidDataException>(() => loop.Run(RunMode.UntilDone));
        Assert.Equal("boom", e.Message);
        Assert.Equal(1, log.Count);
        Assert.Equal(CompletionState.Dead, bad.State);
        loop.Run(RunMode.UntilDone); // the two posts queued behind the throwing one still run
        Assert.Equal(3, log.Count);
        loop.Post(bad, log, Count); // the completion that threw is reusable
        loop.Run(RunMode.UntilDone);
        Assert.Equal(4, log.Count);
    }

    [Fact]
    public void A_throwing_timer_callback_leaves_other_timers_in_place()
    {
        var clock = new ManualClock();
        using var loop = new Loop(new LoopOptions { Clock = clock });
        var log = new Log();
        loop.Timer(new Completion(), TimeSpan.FromMilliseconds(1), log, static (_, _, _, in _) => throw new TimeoutException());
        loop.Timer(new Completion(), TimeSpan.FromMilliseconds(2), log, Count);
        clock.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Throws<TimeoutException>(() => loop.Run(RunMode.NoWait));
        Assert.Equal(0, log.Count);
        loop.Run(RunMode.NoWait);
        Assert.Equal(1, log.Count);
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void Submitting_an_active_completion_throws()
    {
        using var loop = new Loop();
        var log = new Log();
        var c = new Completion();
        loop.Timer(c, TimeSpan.FromHours(1), log, Count);
        Assert.Throws<InvalidOperationException>(() => loop.Post(c, log, Count));
    }

    [Fact]
    public void Rearm_after_resubmitting_inside_the_callback_throws()
    {
        using var loop = new Loop();
        var log = new Log();
        loop.Post(new Completion(), log, static (l, lp, c, in _) =>
        {
            lp.Post(c, l, Count);
            return CallbackAction.Rearm;
        });
        Assert.Throws<InvalidOperationException>(() => loop.Run(RunMode.NoWait));
    }

    [Fact]
    public void Run_is_not_reentrant()
    {
        using var loop = new Loop();
        var log = new Log();
        loop.Post(new Completion(), log, static (_, lp, _, in _) =>
        {
            lp.Run(RunMode.NoWait);
            return CallbackAction.Disarm;
        });
        Assert.Throws<InvalidOperationException>(() => loop.Run(RunMode.NoWait));
    }

    [Fact]
    public void Post_rearm_runs_once_per_tick_and_callbacks_run_on_the_run_thread()
    {
        using var loop = new Loop();
        var log = new Log();
        int runThread = Environment.CurrentManagedThreadId;
        loop.Post(new Completion(), log, (l, _, _, in r) =>
        {
            Assert.Equal(runThread, Environment.CurrentManagedThreadId);
            Assert.Equal(Operation.Post, r.Operation);
            return ++l.Count < 5 ? CallbackAction.Rearm : CallbackAction.Disarm;
        });
        loop.Run(RunMode.NoWait);
        Assert.Equal(1, log.Count);
        loop.Run(RunMode.UntilDone);
        Assert.Equal(5, log.Count);
    }

    [Fact]
    public void Now_is_cached_within_a_tick_and_refreshed_by_UpdateNow()
    {
        var clock = new ManualClock();
        using var loop = new Loop(new LoopOptions { Clock = clock });
        var seen = new List<TimeSpan>();
        loop.Post(new Completion(), seen, (s, l, _, in _) =>
        {
            s.Add(l.Now);
            clock.Advance(TimeSpan.FromSeconds(1));
            s.Add(l.Now);
            l.UpdateNow();
            s.Add(l.Now);
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.NoWait);
        Assert.Equal(seen[0], seen[1]);
        Assert.Equal(seen[0] + TimeSpan.FromSeconds(1), seen[2]);
    }

    [Theory]
    [InlineData(WaitStrategy.Blocking)]
    [InlineData(WaitStrategy.SpinThenBlock)]
    [InlineData(WaitStrategy.BusySpin)]
    public void Every_wait_strategy_delivers_cross_thread_posts_and_timers(WaitStrategy strategy)
    {
        using var loop = new Loop(new LoopOptions { WaitStrategy = strategy });
        var probe = new CrossThreadProbe { Expected = 2000 };
        var notifier = new Notifier(loop);
        probe.Notifier = notifier;
        notifier.Wait(new Completion(), probe, static (p, _, _, in _) =>
            p.Count == p.Expected ? CallbackAction.Disarm : CallbackAction.Rearm);
        loop.Timer(new Completion(), TimeSpan.FromMilliseconds(2), probe, static (p, _, _, in _) =>
        {
            p.TimerFired = true;
            return CallbackAction.Disarm;
        });
        var producers = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < probe.Expected / 4; i++)
            {
                loop.Post(new Completion(), probe, static (p, _, _, in _) =>
                {
                    if (++p.Count == p.Expected)
                    {
                        p.Notifier!.Notify(); // on the loop thread: ends the keep-alive wait
                    }

                    return CallbackAction.Disarm;
                });
            }
        })).ToList();
        producers.ForEach(t => t.Start());
        loop.Run(RunMode.UntilDone);
        producers.ForEach(t => t.Join());
        loop.Run(RunMode.UntilDone);
        Assert.Equal(probe.Expected, probe.Count);
        Assert.True(probe.TimerFired);
    }

    private sealed class CrossThreadProbe
    {
        public int Expected { get; init; }

        public int Count { get; set; }

        public bool TimerFired { get; set; }

        public Notifier? Notifier { get; set; }
    }
}
