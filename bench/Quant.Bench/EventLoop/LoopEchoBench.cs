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

    public string Name => "loop-echo";

    public string Description => "TCP ping-pong on loopback, 1 and 100 connections: loop vs async/await sockets (rt/s, p50/p99, B/rt)";

    public int Run(string[] args)
    {
        var strategy = args.Length > 0 ? Enum.Parse<WaitStrategy>(args[0]) : WaitStrategy.Blocking;
        // Socket completions run inline on the runtime's epoll thread instead of hopping through the thread pool
        // (read once, when the socket engine starts, so it must be set before the first socket). The loop's completion
        // handler only enqueues, so this removes one thread hop per I/O; measured: 1 connection ~3 k -> ~23 k rt/s.
        // It applies to the async/await baseline in the same run too. Pass "pool" as 2nd argument to keep the default.
        bool inline = !(args.Length > 1 && args[1] == "pool");
        if (inline)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        Console.WriteLine($"loop-echo: {MessageSize}-byte ping-pong on 127.0.0.1, {Warmup.TotalSeconds:F0} s warm-up + {Window.TotalSeconds:F0} s window per run, loop wait strategy {strategy}, inline socket completions {inline}, {Environment.ProcessorCount} cores");
        var results = new Dictionary<(string, int), EchoResult>();
        foreach (int conns in new[] { 1, 100 })
        {
            foreach (var mode in new[] { "loop", "async" })
            {
                var r = mode == "loop" ? LoopEcho.Run(conns, strategy, Warmup, Window) : AsyncEcho.Run(conns, Warmup, Window);
                results[(mode, conns)] = r;
                Console.WriteLine($"  {mode,-6} conns={conns,-4} {r.RoundTripsPerSecond,12:N0} rt/s   p50 {r.P50Micros,8:F1} µs   p99 {r.P99Micros,8:F1} µs   {r.BytesPerRoundTrip,8:F2} B/rt");
            }
        }

        var loop100 = results[("loop", 100)];
        var async100 = results[("async", 100)];
        BenchReport.Print(Name, loop100.RoundTripsPerSecond, "round_trips/s", async100.RoundTripsPerSecond,
        [
            new("bytes_per_round_trip", loop100.BytesPerRoundTrip),
            new("async_bytes_per_round_trip", async100.BytesPerRoundTrip),
            new("p50_us", loop100.P50Micros),
            new("p99_us", loop100.P99Micros),
            new("async_p50_us", async100.P50Micros),
            new("async_p99_us", async100.P99Micros),
            new("loop_1_conn_rt_per_s", results[("loop", 1)].RoundTripsPerSecond),
            new("async_1_conn_rt_per_s", results[("async", 1)].RoundTripsPerSecond),
        ]);
        return 0;
    }

    /// <summary>Shared run control: phases set by the main thread, read by the workers.</summary>
    internal sealed class Control
    {
        private const int MaxSamples = 4_000_000;

        public volatile bool Measuring;
        public volatile bool Stopping;
        public long RoundTrips;
        private readonly long[] _samples = new long[MaxSamples];
        private int _sampleCount;

        public void Record(long startTimestamp)
        {
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
            long alloc0 = GC.GetTotalAllocatedBytes(true);
            long t0 = Stopwatch.GetTimestamp();
            Measuring = true;
            Thread.Sleep(window);
            Measuring = false;
            var elapsed = Stopwatch.GetElapsedTime(t0);
            long alloc1 = GC.GetTotalAllocatedBytes(true);
            long rts = Interlocked.Read(ref RoundTrips);
            Stopping = true;
            int n = Math.Min(_sampleCount, MaxSamples);
            var micros = new double[n];
            for (int i = 0; i < n; i++)
            {
                micros[i] = _samples[i] * 1e6 / Stopwatch.Frequency;
            }

            return new EchoResult(rts / elapsed.TotalSeconds, Percentiles.Of(micros, 50), Percentiles.Of(micros, 99), (alloc1 - alloc0) / (double)Math.Max(1, rts));
        }
    }

    internal readonly record struct EchoResult(double RoundTripsPerSecond, double P50Micros, double P99Micros, double BytesPerRoundTrip);
}
