using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EventLoop;
using EventLoop.Net;
using Quant.Bench.Infrastructure;

namespace Quant.Bench.EventLoopBench;

/// <summary>
/// TCP ping-pong on loopback: each connection sends 32 bytes, the server echoes them, the client waits for all 32,
/// and repeats. Loop mode: a server loop and a client loop, each on its own thread. Baseline: the same with plain
/// async/await on <see cref="Socket"/> (ValueTask ReceiveAsync/SendAsync) on the thread pool. Measured over a fixed
/// window after a warm-up: round trips/s, latency percentiles, and bytes allocated per round trip by the whole process
/// (<see cref="GC.GetTotalAllocatedBytes(bool)"/> deltas, so the I/O threads count too).
/// </summary>
internal sealed class LoopEchoBench : IBench
{
    internal const int MessageSize = 32;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    private const int DefaultRounds = 3;

    public string Name => "loop-echo";

    public string Description => "TCP ping-pong on loopback, 1 and 100 connections, per loop backend (io_uring, epoll, runtime) vs async/await sockets (rt/s, p50/p99, B/rt)";

    /// <summary>
    /// Arguments (any order): a <see cref="WaitStrategy"/> name (default Blocking); <c>pool</c> keeps the runtime's
    /// default of running socket continuations on the thread pool; <c>backend=IoUring,Epoll</c> restricts the loop
    /// backends; <c>quick</c> runs short windows (to check that it works: the figures mean nothing); for profiling, <c>conns=N</c> runs one
    /// connection count and <c>noasync</c> skips the baseline (no JSON lines then); <c>window=S</c> sets the window in
    /// seconds; <c>topology=mixed</c> spreads clients and served connections over both
    /// loop threads as the runtime's engines do for the baseline (default split: a server loop and a client loop, see
    /// <see cref="LoopEcho"/>); <c>rounds=N</c> (default 3, <c>quick</c> 1) measures the baseline and every backend N times, alternating
    /// the order, and reports the median round of each; <c>variants</c> adds io_uring runs with one-shot receives, with every send in the ring, and with a SINGLE_ISSUER | DEFER_TASKRUN ring (no JSON; medians of the same rounds).
    /// Each line also gives the round trips of warm-up and window together, to divide a whole process's counts by.
    /// </summary>
    public int Run(string[] args)
    {
        var strategy = args.Select(a => Enum.TryParse<WaitStrategy>(a, out var w) ? w : (WaitStrategy?)null).FirstOrDefault(w => w is not null) ?? WaitStrategy.Blocking;
        // Socket completions run inline on the runtime's epoll thread instead of hopping through the thread pool
        // (read once, when the socket engine starts, so it must be set before the first socket). The loop's completion
        // handler only enqueues, so this removes one thread hop per I/O; measured: 1 connection ~3 k -> ~23 k rt/s.
        // It applies to the runtime backend and the async/await baseline; io_uring and epoll do not use that engine.
        bool inline = !args.Contains("pool");
        if (inline)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        bool mixed = args.Contains("topology=mixed");
        var (backends, auto, refusals) = BenchBackends.Resolve(args);
        var (warmup, window) = BenchBackends.Durations(args, Warmup, Window);
        Console.WriteLine($"loop-echo: {MessageSize}-byte ping-pong on 127.0.0.1, {warmup.TotalSeconds:F1} s warm-up + {window.TotalSeconds:F1} s window per run, loop wait strategy {strategy}, loop topology {(mixed ? "mixed" : "split")}, inline socket completions {inline}, {Environment.ProcessorCount} cores, backends {string.Join(", ", backends)} (Auto picks {auto}){(refusals is null ? "" : $"; refused: {refusals}")}");
        int[] connCounts = args.FirstOrDefault(a => a.StartsWith("conns=", StringComparison.Ordinal)) is { } cs
            ? [int.Parse(cs["conns=".Length..], System.Globalization.CultureInfo.InvariantCulture)]
            : [1, 100];
        bool noAsync = args.Contains("noasync");
        // Rounds: the machine is shared and its load drifts over a run, so the baseline and every backend are measured
        // in each round, in an order that alternates (forwards, then backwards), and each figure is the median round.
        int rounds = args.Contains("quick") ? 1 : args.FirstOrDefault(a => a.StartsWith("rounds=", StringComparison.Ordinal)) is { } rs
            ? Math.Max(1, int.Parse(rs["rounds=".Length..], System.Globalization.CultureInfo.InvariantCulture))
            : DefaultRounds;
        var sides = new List<LoopBackend?>();
        if (!noAsync)
        {
            sides.Add(null); // null: the async/await baseline
        }

        sides.AddRange(backends.Select(b => (LoopBackend?)b));
        var runs = new Dictionary<(LoopBackend? Side, int Conns), List<EchoResult>>();
        for (int round = 0; round < rounds; round++)
        {
            var order = round % 2 == 0 ? sides : Enumerable.Reverse(sides).ToList();
            foreach (var side in order)
            {
                foreach (int conns in connCounts)
                {
                    var r = side is { } backend ? LoopEcho.Run(conns, strategy, backend, warmup, window, mixed: mixed) : AsyncEcho.Run(conns, warmup, window);
                    if (!runs.TryGetValue((side, conns), out var list))
                    {
                        runs[(side, conns)] = list = [];
                    }

                    list.Add(r);
                    Console.WriteLine($"  {(rounds > 1 ? $"r{round + 1} " : "")}{Label(side),-8} conns={conns,-4} {r.RoundTripsPerSecond,12:N0} rt/s   p50 {r.P50Micros,8:F1} µs   p99 {r.P99Micros,8:F1} µs   {r.BytesPerRoundTrip,8:F2} B/rt   {r.CpuMicrosPerRoundTrip,6:F2} cpu-µs/rt ({r.SysMicrosPerRoundTrip,5:F2} kernel)   (all {r.AllRoundTrips:N0} rt)");
                }
            }
        }

        var medians = runs.ToDictionary(kv => kv.Key, kv => Median(kv.Value));
        if (rounds > 1)
        {
            Console.WriteLine($"  medians of {rounds} rounds (by rt/s; the other figures are that round's):");
            foreach (var side in sides)
            {
                foreach (int conns in connCounts)
                {
                    var r = medians[(side, conns)];
                    string ratio = side is null || noAsync ? "" : $"   {r.RoundTripsPerSecond / medians[(null, conns)].RoundTripsPerSecond,5:F2}x async";
                    Console.WriteLine($"  {Label(side),-8} conns={conns,-4} {r.RoundTripsPerSecond,12:N0} rt/s   p50 {r.P50Micros,8:F1} µs   p99 {r.P99Micros,8:F1} µs   {r.BytesPerRoundTrip,8:F2} B/rt   {r.CpuMicrosPerRoundTrip,6:F2} cpu-µs/rt ({r.SysMicrosPerRoundTrip,5:F2} kernel){ratio}");
                }
            }
        }

        Dictionary<int, EchoResult> asyncResults = noAsync ? new() : connCounts.ToDictionary(c => c, c => medians[(null, c)]);
        var lines = backends.Select(b => (Backend: b, One: medians.GetValueOrDefault(((LoopBackend?)b, 1)), Hundred: medians.GetValueOrDefault(((LoopBackend?)b, 100)))).ToList();

        if (args.Contains("variants") && backends.Contains(LoopBackend.IoUring))
        {
            // The io_uring backend's options, same process: what the multishot receive and the inline send each buy.
            foreach (var (name, multishot, inlineSends, defer) in new[] { ("oneshot-recv", false, true, false), ("ring-sends", true, false, false), ("defer-taskrun", true, true, true), ("ring+defer", true, false, true) })
            {
                foreach (int conns in connCounts)
                {
                    // As many rounds as the backends had, the median kept: one run of each is too noisy to rank them.
                    var r = Median(Enumerable.Range(0, rounds).Select(_ => LoopEcho.Run(conns, strategy, LoopBackend.IoUring, warmup, window, multishot, inlineSends, defer)).ToList());
                    Console.WriteLine($"  io_uring {name,-13} conns={conns,-4} {r.RoundTripsPerSecond,12:N0} rt/s   p50 {r.P50Micros,8:F1} µs   p99 {r.P99Micros,8:F1} µs   {r.BytesPerRoundTrip,8:F2} B/rt   {r.CpuMicrosPerRoundTrip,6:F2} cpu-µs/rt ({r.SysMicrosPerRoundTrip,5:F2} kernel)");
                }
            }
        }

        if (noAsync || connCounts.Length != 2)
        {
            return 0; // a partial run (profiling): no JSON lines, they would compare figures that were not measured
        }

        // One JSON line per backend; the last is the backend Auto picks (its 100-connection figure is the headline).
        var async1 = asyncResults[1];
        var async100 = asyncResults[100];
        foreach (var (backend, one, hundred) in lines)
        {
            BenchReport.Print(Name, hundred.RoundTripsPerSecond, "round_trips/s", async100.RoundTripsPerSecond,
            [
                new("backend", backend.ToString()),
                new("rounds", rounds),
                new("topology", mixed ? "mixed" : "split"),
                new("auto_backend", auto.ToString()),
                new("bytes_per_round_trip", hundred.BytesPerRoundTrip),
                new("async_bytes_per_round_trip", async100.BytesPerRoundTrip),
                new("p50_us", hundred.P50Micros),
                new("p99_us", hundred.P99Micros),
                new("async_p50_us", async100.P50Micros),
                new("async_p99_us", async100.P99Micros),
                new("loop_1_conn_rt_per_s", one.RoundTripsPerSecond),
                new("async_1_conn_rt_per_s", async1.RoundTripsPerSecond),
                new("ratio_1_conn", async1.RoundTripsPerSecond == 0 ? null : Math.Round(one.RoundTripsPerSecond / async1.RoundTripsPerSecond, 4)),
                new("loop_1_conn_p50_us", one.P50Micros),
                new("loop_1_conn_p99_us", one.P99Micros),
                new("loop_1_conn_bytes_per_round_trip", one.BytesPerRoundTrip),
                // CPU time of the whole process per round trip: what a loaded machine disturbs least (rt/s follows the CPU share a run gets).
                new("cpu_us_per_round_trip", hundred.CpuMicrosPerRoundTrip),
                new("async_cpu_us_per_round_trip", async100.CpuMicrosPerRoundTrip),
                new("loop_1_conn_cpu_us_per_round_trip", one.CpuMicrosPerRoundTrip),
                new("async_1_conn_cpu_us_per_round_trip", async1.CpuMicrosPerRoundTrip),
                // The kernel's part of that CPU (the TCP stack, syscalls): a loop cannot do without it, so with both
                // cores busy async's CPU per round trip over this loop's kernel CPU per round trip bounds the ratio a
                // loop with no user-mode cost at all could reach at 100 connections.
                new("kernel_us_per_round_trip", hundred.SysMicrosPerRoundTrip),
                new("async_kernel_us_per_round_trip", async100.SysMicrosPerRoundTrip),
                new("cpu_bound_ratio", hundred.SysMicrosPerRoundTrip == 0 ? null : Math.Round(async100.CpuMicrosPerRoundTrip / hundred.SysMicrosPerRoundTrip, 4)),
            ]);
        }

        return 0;
    }

    private static string Label(LoopBackend? side) => side?.ToString() ?? "async";

    /// <summary>The run with the median round trips/s (the upper one of an even count).</summary>
    private static EchoResult Median(List<EchoResult> results)
        => results.OrderBy(r => r.RoundTripsPerSecond).ElementAt(results.Count / 2);

    /// <summary>Shared run control: phases set by the main thread, read by the workers.</summary>
    internal sealed class Control
    {
        private const int MaxSamples = 4_000_000;

        public volatile bool Measuring;
        public volatile bool Stopping;
        public long RoundTrips;
        public long AllRoundTrips; // warm-up and window: for per-round-trip instruction and system-call counts of a whole process
        private readonly long[] _samples = new long[MaxSamples];
        private int _sampleCount;

        public void Record(long startTimestamp)
        {
            Interlocked.Increment(ref AllRoundTrips);
            if (!Measuring)
            {
                return;
            }

            Interlocked.Increment(ref RoundTrips);
            int i = Interlocked.Increment(ref _sampleCount) - 1;
            if (i < MaxSamples)
            {
                _samples[i] = Stopwatch.GetTimestamp() - startTimestamp;
            }
        }

        /// <summary>Warm up, then measure a window; returns the figures. Workers keep running until <see cref="Stopping"/>.</summary>
        public EchoResult Measure(TimeSpan warmup, TimeSpan window)
        {
            Thread.Sleep(warmup); // the benchmark's main thread only: the workers never sleep
            var process = Process.GetCurrentProcess(); // CPU time of the whole process over the window: less load-sensitive than rt/s
            var cpu0 = process.TotalProcessorTime;
            var sys0 = process.PrivilegedProcessorTime;
            long alloc0 = GC.GetTotalAllocatedBytes(true);
            long t0 = Stopwatch.GetTimestamp();
            Measuring = true;
            Thread.Sleep(window);
            Measuring = false;
            var elapsed = Stopwatch.GetElapsedTime(t0);
            long alloc1 = GC.GetTotalAllocatedBytes(true);
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpu0;
            var sys = process.PrivilegedProcessorTime - sys0;
            long rts = Interlocked.Read(ref RoundTrips);
            Stopping = true;
            int n = Math.Min(_sampleCount, MaxSamples);
            var micros = new double[n];
            for (int i = 0; i < n; i++)
            {
                micros[i] = _samples[i] * 1e6 / Stopwatch.Frequency;
            }

            return new EchoResult(rts / elapsed.TotalSeconds, Percentiles.Of(micros, 50), Percentiles.Of(micros, 99), (alloc1 - alloc0) / (double)Math.Max(1, rts), Interlocked.Read(ref AllRoundTrips), cpu.TotalMicroseconds / Math.Max(1, rts), sys.TotalMicroseconds / Math.Max(1, rts));
        }
    }

    internal readonly record struct EchoResult(double RoundTripsPerSecond, double P50Micros, double P99Micros, double BytesPerRoundTrip, long AllRoundTrips, double CpuMicrosPerRoundTrip, double SysMicrosPerRoundTrip);
}
