using System.Diagnostics;
using Quant.Bench.Infrastructure;
using Trading.Backtest.Engine;
using Trading.Core.Data;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;
using Trading.Optimizer.Backtesting;
using Trading.Optimizer.Objectives;
using Trading.Optimizer.Running;
using Trading.Optimizer.Search;
using Trading.Optimizer.Space;

namespace Quant.Bench.Optimizer;

/// <summary>
/// Optimizer throughput: an exhaustive sma-cross grid (fast 5..100 step 1 × slow 30..300 step 10, fast &lt; slow:
/// 2,400 combinations, each a full backtest of the 8,784 candles of data/BTCUSDT_1h_2024.csv, as `quant optimize`
/// runs it) timed with one worker thread (the baseline) and with one per core. Both sweeps must produce identical
/// results (checked) so the speed-up compares equal work. Reports runs/s with all cores, runs/s with one thread and the
/// speed-up, and the process CPU time per run on one thread and on all (the lowest of three sweeps), with the load average
/// and a breakdown of one run's CPU time (<see cref="OptimizeProfile"/>); each figure is the best of three sweeps, one
/// thread and all cores in turn, after a warm-up sweep (tiered JIT).
/// </summary>
internal sealed class OptimizeBench : IBench
{
    /// <summary>The sweep's grid axes and constraint, as given to <c>quant optimize --grid … --where …</c> (optimize-study runs it too).</summary>
    internal static readonly string[] GridArguments = ["fast=5:100:1", "slow=30:300:10"];

    internal const string Constraint = "fast < slow";

    public string Name => "optimize";

    public string Description => "optimizer runs/s over a 2,400-combination sma-cross grid on the shipped data, 1 thread vs all cores";

    public int Run(string[] args)
    {
        var data = FindData();
        var candles = CandleLoader.Load(data).Candles;
        var space = Space();
        var evaluator = new BacktestEvaluator(candles, SmaCross.Descriptor, new BacktestOptions());
        var combinations = new GridSearch(space).Planned;
        if (combinations < 2000)
        {
            throw new InvalidOperationException($"grid has only {combinations} combinations");
        }

        var cores = Environment.ProcessorCount;
        Console.WriteLine($"{combinations:N0} combinations x {candles.Length:N0} candles ({data}), {cores} cores");

        OptimizationResult<RunMetrics> Sweep(int threads) =>
            SearchRunner.Run(new GridSearch(space), evaluator.Evaluate, r => Scoring.Score(Objective.Sharpe, r.Metrics), new RunSettings { Threads = threads });

        // Warm-up: promote the engine to tier-1 code on both paths before timing.
        Sweep(cores);
        Sweep(1);
        Thread.Sleep(200); // let the background tier-1 compiler install promoted code

        // Process CPU time per run (every thread's, the GC's and the JIT's included) next to the wall rate: equal CPU per
        // run on one and on all cores means the work scales and a speed-up short of the core count is the machine's
        // other load taking cores away (the figure to cut is then the CPU per run).
        (double Rate, double CpuPerRunUs, OptimizationResult<RunMetrics> Result) Timed(int threads)
        {
            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var result = Sweep(threads);
            var elapsed = sw.Elapsed.TotalSeconds;
            process.Refresh();
            var cpuPerRun = (process.TotalProcessorTime - cpu).TotalMicroseconds / result.Trials.Count;
            Console.WriteLine($"  {threads} thread(s): {result.Trials.Count / elapsed,10:N0} runs/s, {cpuPerRun,6:F1} us CPU per run");
            return (result.Trials.Count / elapsed, cpuPerRun, result);
        }

        // Allocation per run (one thread, so the figure is this sweep's alone): every gen-0 collection it causes pauses
        // all workers, which is what limits the multi-thread speed-up once runs are short.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var gen0 = GC.CollectionCount(0);
        var probe = Sweep(1);
        var bytesPerRun = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)probe.Trials.Count;

        // Of which the strategy instances (each run makes its own: sma-cross's two rings of fast and slow doubles): what
        // is left is the engine's and the optimizer's per-run cost, the result row (metrics, hash, row) included.
        var points = new GridSearch(space).Points;
        var beforeStrategies = GC.GetAllocatedBytesForCurrentThread();
        foreach (var point in points)
        {
            SmaCross.Descriptor.Create(point);
        }

        var strategyBytesPerRun = (GC.GetAllocatedBytesForCurrentThread() - beforeStrategies) / (double)points.Count;
        Console.WriteLine($"  {bytesPerRun:N0} B allocated per run ({strategyBytesPerRun:N0} B the strategy, {bytesPerRun - strategyBytesPerRun:N0} B the rest), {GC.CollectionCount(0) - gen0} gen-0 collections per sweep");

        // One thread and all cores in turn, three rounds, the best rate and the lowest CPU per run of each: the machine's
        // load drifts (other processes share it), and alternating lets both see the same drift instead of the baseline
        // all of one load and the all-cores figure all of another.
        (double Rate, double CpuPerRunUs, OptimizationResult<RunMetrics> Result) one = (0, double.MaxValue, null!), all = one;
        for (var round = 0; round < 3; round++)
        {
            var a = Timed(1);
            one = (Math.Max(one.Rate, a.Rate), Math.Min(one.CpuPerRunUs, a.CpuPerRunUs), a.Result);
            var b = Timed(cores);
            all = (Math.Max(all.Rate, b.Rate), Math.Min(all.CpuPerRunUs, b.CpuPerRunUs), b.Result);
        }

        for (var i = 0; i < one.Result.Trials.Count; i++)
        {
            if (one.Result.Trials[i] != all.Result.Trials[i])
            {
                throw new InvalidOperationException($"row {i} differs between 1 and {cores} threads");
            }
        }

        // Where one run's CPU time goes (see OptimizeProfile), on one thread.
        var profile = OptimizeProfile.Measure(candles, points, evaluator, SweepOptions(candles));
        Console.WriteLine(
            $"  per run, one thread: {profile.Row:F1} us CPU = evaluator overhead {profile.EvaluatorOverhead:F1} + orders and fills {profile.OrdersAndFills:F1}" +
            $" + sma indicators {profile.Indicators:F1} + engine per candle {profile.Idle:F1} ({profile.Idle * 1000 / candles.Length:F2} ns/candle, run set-up and result included)");

        var best = all.Result.Ranked()[0];
        Console.WriteLine($"1 thread {one.Rate:N0} runs/s ({one.CpuPerRunUs:F1} us CPU/run), {cores} threads {all.Rate:N0} runs/s ({all.CpuPerRunUs:F1} us CPU/run), speed-up {all.Rate / one.Rate:F2}x; best {best.Parameters} sharpe {best.Score:F3}; load {LoadAverage()}");
        BenchReport.Print("optimize", all.Rate, "runs/s", one.Rate, new Dictionary<string, object?>
        {
            ["combinations"] = combinations,
            ["candles"] = candles.Length,
            ["threads"] = cores,
            ["candles_per_sec_all_cores"] = all.Rate * candles.Length,
            ["bytes_allocated_per_run"] = bytesPerRun,
            ["strategy_bytes_per_run"] = strategyBytesPerRun,
            ["cpu_us_per_run_1_thread"] = one.CpuPerRunUs,
            ["cpu_us_per_run_all_cores"] = all.CpuPerRunUs,
            ["profile_us_per_run"] = new Dictionary<string, double>
            {
                ["row"] = Math.Round(profile.Row, 2),
                ["evaluator_overhead"] = Math.Round(profile.EvaluatorOverhead, 2),
                ["orders_and_fills"] = Math.Round(profile.OrdersAndFills, 2),
                ["indicators"] = Math.Round(profile.Indicators, 2),
                ["engine"] = Math.Round(profile.Idle, 2),
            },
            ["load_average"] = LoadAverage(),
        });
        return 0;
    }

    /// <summary>The sweep's space: sma-cross over <see cref="GridArguments"/> where <see cref="Constraint"/>.</summary>
    internal static ParameterSpace Space() => ParameterSpace.Create(
        SmaCross.Descriptor,
        ParameterSet.Empty,
        [.. GridArguments.Select(g => GridArgument.Parse(g, SmaCross.Descriptor))],
        [Constraint]);

    /// <summary>The options <see cref="BacktestEvaluator"/> runs a sweep with: recording off, the interval known.</summary>
    private static BacktestOptions SweepOptions(ReadOnlySpan<Trading.Core.Market.Candle> candles) => new()
    {
        RecordEquity = false,
        RecordFills = false,
        RecordTrades = false,
        IntervalMs = BacktestEngine.RegularInterval(candles),
    };

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or "" where /proc/loadavg is absent.</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    internal static string FindData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "BTCUSDT_1h_2024.csv");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine("data", "BTCUSDT_1h_2024.csv");
    }
}
