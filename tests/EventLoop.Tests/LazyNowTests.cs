namespace EventLoop.Tests;

/// <summary><see cref="Loop.Now"/> is read from the clock at its first use in a tick: busy ticks that need no time read none.</summary>
public sealed class LazyNowTests
{
    [Fact]
    public void Busy_ticks_without_timers_or_Now_read_no_clock()
    {
        var clock = new HookClock();
        int reads = 0;
        clock.OnRead = () => reads++;
        using var loop = new Loop(new LoopOptions { Clock = clock });
        var log = new Log();
        reads = 0;
        loop.Post(new Completion(), log, static (l, _, _, in _) => ++l.Count < 1000 ? CallbackAction.Rearm : CallbackAction.Disarm);
        loop.Run(RunMode.UntilDone);
        Assert.Equal(1000, log.Count); // 1,000 ticks: a rearmed post runs on the next one
        Assert.Equal(0, reads);
    }

    [Fact]
    public void Now_is_the_clock_at_its_first_use_in_the_tick_and_holds_for_the_rest_of_it()
    {
        var clock = new HookClock();
        using var loop = new Loop(new LoopOptions { Clock = clock });
        var seen = new List<TimeSpan>();
        var state = Tuple.Create(clock, seen);
        clock.Ticks += TimeSpan.FromSeconds(5).Ticks; // after the loop was made: the first tick must see it
        long start = clock.Ticks;
        loop.Post(new Completion(), state, static (s, l, _, in _) =>
        {
            s.Item2.Add(l.Now);
            s.Item1.Ticks += TimeSpan.FromSeconds(1).Ticks; // the same tick keeps its time
            return CallbackAction.Disarm;
        });
        loop.Post(new Completion(), state, static (s, l, c, in _) =>
        {
            s.Item2.Add(l.Now);
            l.Post(c, s, static (s2, l2, _, in _) =>
            {
                s2.Item2.Add(l2.Now); // the next tick reads the clock again
                return CallbackAction.Disarm;
            });
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal([new TimeSpan(start), new TimeSpan(start), new TimeSpan(start) + TimeSpan.FromSeconds(1)], seen);
    }
}
