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
/// percentage of one core: process CPU time with the engine connected to an idle in-process simulator (speed 0, so
/// no market data), minus the baseline: the same simulator alone for the same window, measured first in this run.
/// </summary>
internal sealed class LiveIdleBench : IBench
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public string Name => "live-idle";

    public string Description => "CPU % of one core used by an idle connected engine over 10 s, vs the idle simulator alone";

    public int Run(string[] args)
    {
        var window = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s) : Window;
        var candles = Enumerable.Range(0, 400).Select(i => new Candle(1_704_067_200_000 + (i * 3_600_000L), 100, 101, 99, 100, 1)).ToArray();
        var server = SimServer.StartAsync(new SimOptions { Candles = candles, StartCandle = 300 }).GetAwaiter().GetResult();
        Console.WriteLine($"live-idle: {window.TotalSeconds:F0} s windows, {Environment.ProcessorCount} cores");
        var baseline = CpuPercent(window);
        Console.WriteLine($"  simulator alone          {baseline,8:F3} % of one core");

        var observer = new Connected();
        using var stop = new CancellationTokenSource();
        var settings = new LiveSettings
        {
            Endpoints = BinanceEndpoints.Local(server.RestUrl),
            Symbol = "BTCUSDT",
            Interval = "1h",
            IntervalMs = 3_600_000,
            ApiKey = SimOptions.DefaultApiKey,
            Risk = RiskLimits.None,
        };
        var run = LiveSession.RunAsync(settings, new HmacSigner(SimOptions.DefaultApiSecret), new Idle(), observer, NullStrategyLogger.Instance, stop.Token);
        observer.Ready.Task.Wait(TimeSpan.FromSeconds(30));
        var withEngine = CpuPercent(window);
        Console.WriteLine($"  simulator + idle engine  {withEngine,8:F3} % of one core");
        stop.Cancel();
        run.Wait(TimeSpan.FromSeconds(30));
        server.DisposeAsync().AsTask().Wait();
        var engine = Math.Max(0, withEngine - baseline);
        Console.WriteLine($"  idle engine              {engine,8:F3} % of one core");
        BenchReport.Print(Name, engine, "% of one core", baseline, [new("with_simulator_pct", withEngine)]);
        return 0;
    }

    private static double CpuPercent(TimeSpan window)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var t0 = Stopwatch.GetTimestamp();
        Thread.Sleep(window); // the benchmark's main thread only: the engine runs on its own
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpu0;
        return cpu.TotalMilliseconds / Stopwatch.GetElapsedTime(t0).TotalMilliseconds * 100;
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
