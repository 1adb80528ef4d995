using System.Diagnostics;
using EventLoop;
using Quant.Bench.Infrastructure;

namespace Quant.Bench.EventLoopBench;

/// <summary>
/// 100,000 one-shot timers with deadlines spread evenly over 500 ms: how fast the loop arms them (heap inserts), and
/// how late each fires (real monotonic time at the callback minus its deadline; never negative, or the loop is wrong),
/// per wait strategy. Baseline: the same 100,000 deadlines on <see cref="System.Threading.Timer"/>.
/// </summary>
internal sealed class LoopTimersBench : IBench
{
    private const int Count = 100_000;
    private static readonly long SpreadTicks = TimeSpan.FromMilliseconds(500).Ticks;

    public string Name => "loop-timers";

    public string Description => "100,000 timers: schedule rate and firing lateness p50/p99 per wait strategy vs System.Threading.Timer";

    public int Run(string[] args)
    {
        Console.WriteLine($"loop-timers: {Count:N0} timers, deadlines spread over 500 ms, {Environment.ProcessorCount} cores");
        double blockingRate = 0;
        var extra = new List<KeyValuePair<string, object?>>();
        foreach (var strategy in new[] { WaitStrategy.Blocking, WaitStrategy.SpinThenBlock, WaitStrategy.BusySpin })
        {
            RunLoop(strategy); // warm-up
            var (rate, p50, p99, early) = RunLoop(strategy);
            if (early > 0)
            {
                throw new InvalidOperationException($"{early} timers fired early under {strategy}");
            }

            Console.WriteLine($"  loop {strategy,-14} schedule {rate / 1e6,6:F2} M timers/s   lateness p50 {p50,8:F1} µs   p99 {p99,8:F1} µs");
            extra.Add(new($"{strategy.ToString().ToLowerInvariant()}_p50_us", p50));
            extra.Add(new($"{strategy.ToString().ToLowerInvariant()}_p99_us", p99));
            if (strategy == WaitStrategy.Blocking)
            {
                blockingRate = rate;
            }
        }

        RunThreadingTimers();
        var (tRate, tp50, tp99) = RunThreadingTimers();
        Console.WriteLine($"  System.Threading.Timer   schedule {tRate / 1e6,6:F2} M timers/s   lateness p50 {tp50,8:F1} µs   p99 {tp99,8:F1} µs");
        extra.Add(new("threading_timer_p50_us", tp50));
        extra.Add(new("threading_timer_p99_us", tp99));
        BenchReport.Print(Name, blockingRate, "timers_scheduled/s", tRate, extra);
        return 0;
    }

    private static (double Rate, double P50, double P99, int Early) RunLoop(WaitStrategy strategy)
    {
        using var loop = new Loop(new LoopOptions { WaitStrategy = strategy });
        var state = new Probe();
        var completions = new Completion[Count];
        for (int i = 0; i < Count; i++)
        {
            completions[i] = new Completion();
        }

        var delays = Delays();
        loop.UpdateNow();
        long now = loop.Now.Ticks;
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < Count; i++)
        {
            loop.Timer(completions[i], new TimeSpan(delays[i]), state, OnFire);
        }

        double rate = Count / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        for (int i = 0; i < Count; i++)
        {
            state.Deadlines[i] = now + delays[i];
        }

        loop.Run(RunMode.UntilDone);
        Array.Sort(state.Deadlines); // the loop fires in deadline order, so the k-th firing belongs to the k-th deadline
        int early = 0;
        var lateMicros = new double[Count];
        for (int i = 0; i < Count; i++)
        {
            long late = state.FiredAt[i] - state.Deadlines[i];
            early += late < 0 ? 1 : 0;
            lateMicros[i] = late / 10.0;
        }

        return (rate, Percentiles.Of(lateMicros, 50), Percentiles.Of(lateMicros, 99), early);
    }

    private static CallbackAction OnFire(Probe p, Loop loop, Completion c, in CompletionResult r)
    {
        p.FiredAt[p.Next++] = Stopwatch.GetElapsedTime(0).Ticks; // the loop's clock base: ticks since process start
        return CallbackAction.Disarm;
    }

    private static (double Rate, double P50, double P99) RunThreadingTimers()
    {
        var delays = Delays();
        var fired = new long[Count];
        var deadlines = new long[Count];
        var timers = new Timer[Count];
        int remaining = Count;
        using var done = new ManualResetEventSlim();
        long now = Stopwatch.GetElapsedTime(0).Ticks;
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < Count; i++)
        {
            int index = i;
            timers[i] = new Timer(_ =>
            {
                fired[index] = Stopwatch.GetElapsedTime(0).Ticks;
                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    done.Set();
                }
            }, null, TimeSpan.FromTicks(delays[i]), Timeout.InfiniteTimeSpan);
        }

        double rate = Count / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        for (int i = 0; i < Count; i++)
        {
            deadlines[i] = now + delays[i];
        }

        done.Wait();
        foreach (var t in timers)
        {
            t.Dispose();
        }

        var lateMicros = new double[Count];
        for (int i = 0; i < Count; i++)
        {
            lateMicros[i] = (fired[i] - deadlines[i]) / 10.0;
        }

        return (rate, Percentiles.Of(lateMicros, 50), Percentiles.Of(lateMicros, 99));
    }

    /// <summary>Delays spread evenly over the window, in a fixed shuffled order (seeded: the same every run).</summary>
    private static long[] Delays()
    {
        var delays = new long[Count];
        for (int i = 0; i < Count; i++)
        {
            delays[i] = SpreadTicks * i / Count;
        }

        new Random(42).Shuffle(delays);
        return delays;
    }

    private sealed class Probe
    {
        public long[] Deadlines { get; } = new long[Count];

        public long[] FiredAt { get; } = new long[Count];

        public int Next { get; set; }
    }
}
