using CsCheck;

namespace EventLoop.Tests;

public sealed class TimerTests
{
    private static (Loop Loop, ManualClock Clock) NewLoop()
    {
        var clock = new ManualClock();
        return (new Loop(new LoopOptions { Clock = clock }), clock);
    }

    private static CallbackAction Record(Log log, Loop loop, Completion c, in CompletionResult r)
    {
        log.Add($"{c.UserState is Log}{(r.IsCanceled ? ":canceled" : string.Empty)}");
        return CallbackAction.Disarm;
    }

    [Fact]
    public void Timers_fire_in_deadline_order_not_submission_order()
    {
        var (loop, clock) = NewLoop();
        var fired = new List<int>();
        int[] delaysMs = [30, 10, 50, 20, 40];
        var states = delaysMs.Select(d => new TimerProbe(d, fired)).ToArray();
        foreach (var s in states)
        {
            loop.Timer(new Completion(), TimeSpan.FromMilliseconds(s.Id), s, TimerProbe.OnFire);
        }

        clock.Advance(TimeSpan.FromMilliseconds(60));
        loop.Run(RunMode.NoWait);
        Assert.Equal([10, 20, 30, 40, 50], fired);
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void Equal_deadlines_fire_in_submission_order()
    {
        var (loop, clock) = NewLoop();
        var fired = new List<int>();
        for (int i = 0; i < 100; i++)
        {
            loop.Timer(new Completion(), TimeSpan.FromMilliseconds(5), new TimerProbe(i, fired), TimerProbe.OnFire);
        }

        clock.Advance(TimeSpan.FromMilliseconds(5));
        loop.Run(RunMode.NoWait);
        Assert.Equal(Enumerable.Range(0, 100), fired);
    }

    [Fact]
    public void A_timer_never_fires_before_its_deadline()
    {
        var (loop, clock) = NewLoop();
        var fired = new List<int>();
        loop.Timer(new Completion(), TimeSpan.FromMilliseconds(10), new TimerProbe(1, fired), TimerProbe.OnFire);
        clock.Advance(TimeSpan.FromMilliseconds(10) - TimeSpan.FromTicks(1));
        loop.Run(RunMode.NoWait);
        Assert.Empty(fired);
        clock.Advance(TimeSpan.FromTicks(1));
        loop.Run(RunMode.NoWait);
        Assert.Equal([1], fired);
    }

    [Fact]
    public void Real_clock_timer_runs_until_done_and_fires_no_earlier_than_its_deadline()
    {
        using var loop = new Loop();
        var probe = new RealProbe();
        loop.UpdateNow();
        probe.Deadline = loop.Now + TimeSpan.FromMilliseconds(3);
        loop.Timer(new Completion(), TimeSpan.FromMilliseconds(3), probe, static (p, l, c, in r) =>
        {
            p.FiredAt = System.Diagnostics.Stopwatch.GetElapsedTime(0);
            p.LoopNowAtFire = l.Now;
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.True(probe.LoopNowAtFire >= probe.Deadline);
        Assert.True(probe.FiredAt >= probe.Deadline);
    }

    [Fact]
    public void Cancel_runs_the_callback_as_canceled_and_the_timer_never_fires()
    {
        var (loop, clock) = NewLoop();
        var log = new Log();
        var c = new Completion();
        loop.Timer(c, TimeSpan.FromMilliseconds(10), log, Record);
        Assert.True(loop.CancelTimer(c));
        Assert.Equal(CompletionState.Active, c.State); // until its callback ran
        loop.Run(RunMode.NoWait);
        Assert.Equal(["True:canceled"], log.Entries);
        Assert.Equal(CompletionState.Dead, c.State);
        clock.Advance(TimeSpan.FromSeconds(1));
        loop.Run(RunMode.NoWait);
        Assert.Equal(["True:canceled"], log.Entries);
        Assert.False(loop.CancelTimer(c));
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void Cancel_ignores_rearm_and_returns_false_for_a_fired_timer()
    {
        var (loop, clock) = NewLoop();
        var log = new Log();
        var c = new Completion();
        loop.Timer(c, TimeSpan.FromMilliseconds(1), log, static (l, _, _, in r) =>
        {
            l.Add(r.IsCanceled ? "canceled" : "fired");
            return CallbackAction.Rearm;
        });
        Assert.True(loop.CancelTimer(c));
        loop.Run(RunMode.NoWait);
        Assert.Equal(CompletionState.Dead, c.State);
        clock.Advance(TimeSpan.FromSeconds(1));
        loop.Run(RunMode.NoWait);
        Assert.Equal(["canceled"], log.Entries);

        var d = new Completion();
        loop.Timer(d, TimeSpan.Zero, log, Record);
        loop.Run(RunMode.NoWait);
        Assert.False(loop.CancelTimer(d));
    }

    [Fact]
    public void Reset_moves_an_active_timer_and_rearms_a_fired_one()
    {
        var (loop, clock) = NewLoop();
        var fired = new List<int>();
        var c = new Completion();
        loop.Timer(c, TimeSpan.FromMilliseconds(10), new TimerProbe(7, fired), TimerProbe.OnFire);
        clock.Advance(TimeSpan.FromMilliseconds(5));
        loop.UpdateNow();
        loop.ResetTimer(c, TimeSpan.FromMilliseconds(10)); // now due at 15
        clock.Advance(TimeSpan.FromMilliseconds(9));       // 14
        loop.Run(RunMode.NoWait);
        Assert.Empty(fired);
        clock.Advance(TimeSpan.FromMilliseconds(1));       // 15
        loop.Run(RunMode.NoWait);
        Assert.Equal([7], fired);
        Assert.Equal(CompletionState.Dead, c.State);

        loop.ResetTimer(c, TimeSpan.FromMilliseconds(2)); // re-armed with the same callback and state
        Assert.Equal(CompletionState.Active, c.State);
        clock.Advance(TimeSpan.FromMilliseconds(2));
        loop.Run(RunMode.NoWait);
        Assert.Equal([7, 7], fired);
    }

    [Fact]
    public void Reset_to_an_equal_deadline_goes_behind_timers_already_due_then()
    {
        var (loop, clock) = NewLoop();
        var fired = new List<int>();
        var a = new Completion();
        loop.Timer(a, TimeSpan.FromMilliseconds(5), new TimerProbe(1, fired), TimerProbe.OnFire);
        loop.Timer(new Completion(), TimeSpan.FromMilliseconds(5), new TimerProbe(2, fired), TimerProbe.OnFire);
        loop.ResetTimer(a, TimeSpan.FromMilliseconds(5));
        clock.Advance(TimeSpan.FromMilliseconds(5));
        loop.Run(RunMode.NoWait);
        Assert.Equal([2, 1], fired);
    }

    [Fact]
    public void Rearm_makes_a_timer_periodic_without_drift_and_skips_missed_periods()
    {
        var (loop, clock) = NewLoop();
        var fired = new List<TimeSpan>();
        var c = new Completion();
        var start = loop.Now;
        loop.Timer(c, TimeSpan.FromMilliseconds(10), fired, static (f, l, _, in _) =>
        {
            f.Add(l.Now);
            return CallbackAction.Rearm;
        });
        clock.Advance(TimeSpan.FromMilliseconds(12)); // fires for 10; next due 20
        loop.Run(RunMode.NoWait);
        clock.Advance(TimeSpan.FromMilliseconds(7));  // 19
        loop.Run(RunMode.NoWait);
        clock.Advance(TimeSpan.FromMilliseconds(1));  // 20
        loop.Run(RunMode.NoWait);
        clock.Advance(TimeSpan.FromMilliseconds(35)); // 55: periods 30, 40, 50 missed -> one firing, next due 60
        loop.Run(RunMode.NoWait);
        clock.Advance(TimeSpan.FromMilliseconds(4));  // 59
        loop.Run(RunMode.NoWait);
        Assert.Equal(3, fired.Count);
        clock.Advance(TimeSpan.FromMilliseconds(1));  // 60
        loop.Run(RunMode.NoWait);
        Assert.Equal(new[] { 12, 20, 55, 60 }.Select(ms => start + TimeSpan.FromMilliseconds(ms)), fired);
        Assert.True(loop.CancelTimer(c));
        loop.Run(RunMode.NoWait);
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void A_zero_interval_rearm_fires_once_per_tick_not_forever()
    {
        var (loop, _) = NewLoop();
        var log = new Log();
        loop.Timer(new Completion(), TimeSpan.Zero, log, static (l, _, _, in _) =>
        {
            l.Count++;
            return l.Count < 3 ? CallbackAction.Rearm : CallbackAction.Disarm;
        });
        loop.Run(RunMode.NoWait);
        Assert.Equal(1, log.Count);
        loop.Run(RunMode.UntilDone);
        Assert.Equal(3, log.Count);
    }

    [Fact]
    public void Random_schedules_fire_in_deadline_then_submission_order()
    {
        Gen.Select(Gen.Int[0, 50].Array[1, 200], Gen.Int[0, 1_000_000]).Sample((delays, seed) =>
        {
            var (loop, clock) = NewLoop();
            var rng = new Random(seed);
            var fired = new List<int>();
            var completions = new Completion[delays.Length];
            var canceled = new HashSet<int>();
            for (int i = 0; i < delays.Length; i++)
            {
                completions[i] = new Completion();
                loop.Timer(completions[i], TimeSpan.FromMilliseconds(delays[i]), new TimerProbe(i, fired), TimerProbe.OnFireSkipCanceled);
                if (i > 0 && rng.Next(4) == 0)
                {
                    int victim = rng.Next(i);
                    if (canceled.Add(victim))
                    {
                        Assert.True(loop.CancelTimer(completions[victim]));
                    }
                }
            }

            clock.Advance(TimeSpan.FromMilliseconds(51));
            loop.Run(RunMode.NoWait); // canceled callbacks
            loop.Run(RunMode.NoWait);
            var expected = Enumerable.Range(0, delays.Length).Where(i => !canceled.Contains(i))
                .OrderBy(i => delays[i]).ThenBy(i => i).ToList();
            Assert.Equal(expected, fired);
        }, iter: 200);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MaxValue_and_infinite_timers_never_fire(bool infinite)
    {
        var (loop, clock) = NewLoop();
        var log = new Log();
        var c = new Completion();
        loop.Timer(c, infinite ? Timeout.InfiniteTimeSpan : TimeSpan.MaxValue, log, static (l, _, _, in r) =>
        {
            l.Add(r.IsCanceled ? "canceled" : "fired");
            return CallbackAction.Rearm;
        });
        loop.Run(RunMode.NoWait);
        clock.Advance(TimeSpan.FromDays(365 * 200));
        loop.Run(RunMode.NoWait);
        Assert.Empty(log.Entries);
        Assert.Equal(CompletionState.Active, c.State);
        Assert.True(loop.CancelTimer(c));
        loop.Run(RunMode.NoWait);
        Assert.Equal(["canceled"], log.Entries);
    }

    [Fact]
    public void Reset_to_infinite_never_fires_and_a_huge_period_does_not_overflow_on_rearm()
    {
        var (loop, clock) = NewLoop();
        var fired = new List<int>();
        var c = new Completion();
        loop.Timer(c, TimeSpan.FromMilliseconds(1), new TimerProbe(1, fired), TimerProbe.OnFire);
        loop.ResetTimer(c, Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromDays(1));
        loop.Run(RunMode.NoWait);
        Assert.Empty(fired);

        var d = new Completion();
        var log = new Log();
        loop.Timer(d, TimeSpan.FromTicks(long.MaxValue / 2), log, static (l, _, _, in _) =>
        {
            l.Count++;
            return CallbackAction.Rearm;
        });
        clock.Advance(TimeSpan.FromTicks(long.MaxValue / 2));
        loop.Run(RunMode.NoWait);
        Assert.Equal(1, log.Count);
        Assert.Equal(long.MaxValue, d.Deadline); // deadline + period overflows: never, not at once
        clock.Advance(TimeSpan.FromDays(1));
        loop.Run(RunMode.NoWait);
        Assert.Equal(1, log.Count);
    }

    [Fact]
    public void A_periodic_rearm_keeps_the_phase_of_its_first_deadline_whatever_the_callback_time()
    {
        var (loop, clock) = NewLoop();
        var deadlines = new List<long>();
        var c = new Completion();
        long first = loop.Now.Ticks + TimeSpan.FromMilliseconds(10).Ticks;
        loop.Timer(c, TimeSpan.FromMilliseconds(10), deadlines, (d, l, cc, in _) =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(3)); // a slow callback
            l.UpdateNow();
            return CallbackAction.Rearm;
        });
        long[] lateBy = [0, 1, 4, 6, 2]; // late + callback time stays under a period: no period is skipped
        for (int k = 0; k < lateBy.Length; k++)
        {
            clock.Ticks = first + (k * TimeSpan.FromMilliseconds(10).Ticks) + TimeSpan.FromMilliseconds(lateBy[k]).Ticks;
            loop.Run(RunMode.NoWait);
            deadlines.Add(c.Deadline);
        }

        Assert.Equal(Enumerable.Range(1, 5).Select(k => first + (k * TimeSpan.FromMilliseconds(10).Ticks)), deadlines);
    }

    [Fact]
    public void A_period_due_exactly_now_is_not_skipped()
    {
        // Deadline 10, period 10, serviced at 20 (one period late): the period due at 20 fires next, not 30.
        Assert.Equal(20, Loop.NextPeriod(10, 10, 20));
        Assert.Equal(30, Loop.NextPeriod(10, 10, 21));
        Assert.Equal(20, Loop.NextPeriod(10, 10, 15));
        Assert.Equal(long.MaxValue, Loop.NextPeriod(long.MaxValue, 10, 15));
        Assert.Equal(long.MaxValue, Loop.NextPeriod(10, long.MaxValue, 15));
    }

    private sealed class TimerProbe(int id, List<int> fired)
    {
        public int Id => id;

        public static CallbackAction OnFire(TimerProbe p, Loop loop, Completion c, in CompletionResult r)
        {
            Assert.False(r.IsCanceled);
            Assert.Equal(Operation.Timer, r.Operation);
            p.Fired(p.Id);
            return CallbackAction.Disarm;
        }

        public static CallbackAction OnFireSkipCanceled(TimerProbe p, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsCanceled)
            {
                p.Fired(p.Id);
            }

            return CallbackAction.Disarm;
        }

        private void Fired(int i) => fired.Add(i);
    }

    private sealed class RealProbe
    {
        public TimeSpan Deadline { get; set; }

        public TimeSpan FiredAt { get; set; }

        public TimeSpan LoopNowAtFire { get; set; }
    }
}
