using System.Diagnostics;
using Quant.Bench.Infrastructure;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Engine;
using Trading.Live.Risk;
using Trading.Sim;

namespace Quant.Bench.Live;

/// <summary>
/// CPU used by an idle live engine (connected, subscribed, nothing happening; the loop's Blocking wait) over 10 s, as a
/// percentage of one core, and how often it wakes up. The simulator (speed 0, so no market data) runs in a child
/// process — this benchmark started again with <c>--serve-simulator</c> — so that its own timers (Kestrel's heartbeat,
/// its WebSockets' keep-alive) and their thread-pool work are not counted as the engine's. Baseline: this process
/// alone, before the engine starts, for the same window. Per thread (/proc/self/task): CPU and context switches per
/// second — wake-ups do not depend on the machine's load, CPU percentages do. The first seconds after connecting are
/// start-up (the tiered JIT recompiling the start-up path in the background) and are reported apart.
/// </summary>
internal sealed class LiveIdleBench : IBench
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    /// <summary>Skipped after connecting, before the measured window; with the window it stays inside the engine's
    /// 30 s market-silence watchdog (the idle simulator sends no market data, so it would reconnect there).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public string Name => "live-idle";

    public string Description => "CPU % of one core used by an idle connected engine over 10 s, vs the idle simulator alone";

    public int Run(string[] args)
    {
        if (args is ["--serve-simulator"])
        {
            return ServeSimulator();
        }

        var window = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s) : Window;
        using var simulator = StartSimulator(out var restUrl);
        Console.WriteLine($"live-idle: {window.TotalSeconds:F0} s windows, {Environment.ProcessorCount} cores, simulator in process {simulator.Id}");
        var (baseline, baseThreads) = CpuPercent(window);
        Console.WriteLine($"  this process, no engine  {baseline,8:F3} % of one core");
        PrintThreads(baseThreads);

        var observer = new Connected();
        using var stop = new CancellationTokenSource();
        var settings = new LiveSettings
        {
            Endpoints = BinanceEndpoints.Local(restUrl),
            Symbol = "BTCUSDT",
            Interval = "1h",
            IntervalMs = 3_600_000,
            ApiKey = SimOptions.DefaultApiKey,
            Risk = RiskLimits.None,
        };
        var run = LiveSession.RunAsync(settings, new HmacSigner(SimOptions.DefaultApiSecret), new Idle(), observer, NullStrategyLogger.Instance, stop.Token);
        observer.Ready.Task.Wait(TimeSpan.FromSeconds(30));
        // The first seconds after connecting are start-up, not idleness: the runtime's tiered JIT recompiles the
        // start-up path's hot methods in the background (its thread is most of that window's CPU). Reported apart.
        var (firstWindow, firstThreads) = CpuPercent(Settle);
        Console.WriteLine($"  first {Settle.TotalSeconds:F0} s after connecting {firstWindow,8:F3} % of one core (start-up: tiered JIT; not counted)");
        PrintThreads(firstThreads);
        var (withEngine, engineThreads) = CpuPercent(window);
        Console.WriteLine($"  with the idle engine     {withEngine,8:F3} % of one core");
        PrintThreads(engineThreads);
        var loopWakeups = ThreadSample.SwitchesPerSecond(engineThreads, "quant-live-loop");
        var processWakeups = engineThreads.Sum(t => t.SwitchesPerSecond) - baseThreads.Sum(t => t.SwitchesPerSecond);
        stop.Cancel();
        run.Wait(TimeSpan.FromSeconds(30));
        simulator.StandardInput.Close(); // its signal to stop
        simulator.WaitForExit(10_000);
        var engine = Math.Max(0, withEngine - baseline);
        Console.WriteLine($"  idle engine              {engine,8:F3} % of one core");
        Console.WriteLine($"  loop thread wake-ups     {loopWakeups,8:F2} /s; whole process {processWakeups:F2} /s more than without the engine");
        BenchReport.Print(Name, engine, "% of one core", baseline,
        [
            new("with_simulator_pct", withEngine),
            new("first_seconds_pct", firstWindow - baseline),
            new("loop_wakeups_per_second", loopWakeups),
            new("process_extra_wakeups_per_second", processWakeups),
        ]);
        return 0;
    }

    /// <summary>This benchmark again, as the simulator's process: prints its REST URL, serves until stdin closes.</summary>
    private static Process StartSimulator(out Uri restUrl)
    {
        var self = System.Reflection.Assembly.GetEntryAssembly()!.Location;
        var psi = new ProcessStartInfo(Environment.ProcessPath!, [self, "live-idle", "--serve-simulator"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        var p = Process.Start(psi)!;
        var line = p.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the simulator process printed nothing");
        restUrl = new Uri(line);
        return p;
    }

    private static int ServeSimulator()
    {
        var candles = Enumerable.Range(0, 400).Select(i => new Candle(1_704_067_200_000 + (i * 3_600_000L), 100, 101, 99, 100, 1)).ToArray();
        var server = SimServer.StartAsync(new SimOptions { Candles = candles, StartCandle = 300 }).GetAwaiter().GetResult();
        Console.WriteLine(server.RestUrl);
        Console.Out.Flush();
        Console.In.ReadToEnd(); // until the parent closes stdin (or dies)
        server.DisposeAsync().AsTask().Wait();
        return 0;
    }

    /// <summary>Process CPU over the window as % of one core, and per thread name CPU and context switches (wake-ups) per second.</summary>
    private static (double Percent, List<(string Name, int Threads, double CpuPercent, double SwitchesPerSecond)> Threads) CpuPercent(TimeSpan window)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var threads0 = ThreadSample.Take();
        var t0 = Stopwatch.GetTimestamp();
        Thread.Sleep(window); // the benchmark's main thread only: the engine runs on its own
        var elapsed = Stopwatch.GetElapsedTime(t0);
        var threads1 = ThreadSample.Take();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpu0;
        var diff = ThreadSample.Diff(threads0, threads1, elapsed);
        // The threads' own run time (ns) where /proc has it; the process's tick-counted CPU time elsewhere.
        return (diff.Count > 0 ? diff.Sum(t => t.CpuPercent) : cpu.TotalMilliseconds / elapsed.TotalMilliseconds * 100, diff);
    }

    private static void PrintThreads(List<(string Name, int Threads, double CpuPercent, double SwitchesPerSecond)> threads)
    {
        foreach (var t in threads.Take(8))
        {
            Console.WriteLine($"      {t.Name,-16} x{t.Threads,-3} {t.CpuPercent,7:F2} % cpu {t.SwitchesPerSecond,9:F2} wake-ups/s");
        }
    }

    private sealed class Idle : IStrategy
    {
        public void OnCandle(IStrategyContext context, in Candle candle)
        {
        }
    }

    private sealed class Connected : ILiveObserver
    {
        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Nothing shows a status line here, as with <c>quant live</c> writing to a file or a service's log.</summary>
        public bool WantsStatus => false;

        public void OnConnection(string what)
        {
            if (what == LiveEngine.MarketConnected)
            {
                Ready.TrySetResult();
            }
        }

        public void OnCandle(in Candle candle, bool warmup)
        {
        }

        public void OnOrder(in OrderEvent orderEvent)
        {
        }

        public void OnRisk(RiskRule rule, string reason, bool tripped)
        {
        }

        public void OnStatus(in LiveStatus status)
        {
        }
    }
}
