using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Npgsql;
using Quant.Bench.Infrastructure;
using Trading.Backtest.Engine;
using Trading.Core.Data;
using Trading.Core.Strategies.BuiltIn;
using Trading.Optimizer.Backtesting;
using Trading.Optimizer.Objectives;
using Trading.Optimizer.Running;
using Trading.Optimizer.Search;
using Trading.Study.Tests;

namespace Quant.Bench.Optimizer;

/// <summary>
/// Shared-study throughput: the sweep of <see cref="OptimizeBench"/> (2,400 sma-cross backtests of the shipped data) run
/// as a study in a throwaway PostgreSQL cluster (<see cref="PostgresCluster"/>, the study tests' own: initdb into a
/// temporary folder, a free port, a Unix socket there; stopped and deleted at the end) by real <c>quant</c> processes
/// (<c>dotnet quant.dll</c>, from src/Quant's own build output): 1 worker = the creating <c>quant optimize … --study</c> process
/// alone, 2 workers = it plus one <c>quant optimize --study … --worker</c>, each with <c>--threads 1</c>. The
/// in-process optimizer (<see cref="SearchRunner"/>) with 1 and 2 threads on the same sweep, in the same run, is the
/// baseline.
/// <para>
/// A study's runs/s is measured from the database's own trial timestamps (first claim to last completion), so process
/// start-up, the study's creation and the final results query are left out; the wall time of the processes is printed
/// too. The child processes start with cold JIT while the in-process figures are taken after a warm-up sweep, so the
/// stated overhead includes the children's tier-up. Per trial and per thread the database overhead is
/// <c>threads / study rate − threads / in-process rate</c> (the claim and completion transactions plus the heartbeat).
/// Each figure is the best of three sweeps (each study a fresh one); every study must finish all 2,400 trials with the
/// in-process run's best score (checked) so the figures compare equal work.
/// </para>
/// <para>
/// Trap: the workers reach the cluster over TCP on 127.0.0.1 (no network latency) and the cluster runs with fsync,
/// synchronous_commit and full_page_writes off (the tests' settings), so the overhead is a lower bound for a durable
/// server on another machine, where each of a trial's two commits waits for a WAL flush and every statement for a
/// network round trip.
/// </para>
/// </summary>
internal sealed class OptimizeStudyBench : IBench
{
    private const int Rounds = 3;

    public string Name => "optimize-study";

    public string Description => "shared study in PostgreSQL: runs/s with 1 and 2 quant worker processes vs the in-process optimizer on the 2,400-combination grid";

    public int Run(string[] args)
    {
        if (PostgresCluster.Missing is { } missing)
        {
            Console.Error.WriteLine($"optimize-study: {missing}");
            return 1;
        }

        var data = OptimizeBench.FindData();
        var candles = CandleLoader.Load(data).Candles;
        var space = OptimizeBench.Space();
        var evaluator = new BacktestEvaluator(candles, SmaCross.Descriptor, new BacktestOptions());
        var combinations = new GridSearch(space).Planned;
        Console.WriteLine($"{combinations:N0} combinations x {candles.Length:N0} candles ({data}), {Environment.ProcessorCount} cores");

        OptimizationResult<RunMetrics> Sweep(int threads) =>
            SearchRunner.Run(new GridSearch(space), evaluator.Evaluate, r => Scoring.Score(Objective.Sharpe, r.Metrics, 0), new RunSettings { Threads = threads });

        // In-process baseline, warmed up to tier-1 code first (as OptimizeBench does).
        Sweep(2);
        var reference = Sweep(1);
        Thread.Sleep(200); // let the background tier-1 compiler install promoted code
        var best = reference.Ranked()[0];
        var inProcess1 = InProcess(Sweep, 1);
        var inProcess2 = InProcess(Sweep, 2);

        using var cluster = new PostgresCluster();
        var url = cluster.CreateDatabase("bench");
        Console.WriteLine($"throwaway cluster at {url} (loopback TCP; fsync and synchronous_commit off: a lower bound for a durable server)");
        var folder = Directory.CreateTempSubdirectory("quant-bench-study-");
        try
        {
            var study1 = Study(url, folder.FullName, data, workers: 1, combinations, best.Score);
            var study2 = Study(url, folder.FullName, data, workers: 2, combinations, best.Score);
            var overhead1 = (1 / study1.Rate - 1 / inProcess1) * 1e6;
            var overhead2 = (2 / study2.Rate - 2 / inProcess2) * 1e6;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"in-process {inProcess1:N0} runs/s (1 thread), {inProcess2:N0} runs/s (2 threads); study {study1.Rate:N0} runs/s (1 worker), {study2.Rate:N0} runs/s (2 workers)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"database overhead per trial and thread: {overhead1:N0} us (1 worker), {overhead2:N0} us (2 workers); best {best.Parameters} sharpe {best.Score:F3}"));
            BenchReport.Print("optimize-study", study2.Rate, "runs/s", inProcess2, new Dictionary<string, object?>
            {
                ["combinations"] = combinations,
                ["candles"] = candles.Length,
                ["workers"] = "quant processes, --threads 1 each",
                ["study_1_worker_runs_per_sec"] = study1.Rate,
                ["in_process_1_thread_runs_per_sec"] = inProcess1,
                ["db_overhead_us_per_trial_1_worker"] = overhead1,
                ["db_overhead_us_per_trial_2_workers"] = overhead2,
                ["wall_runs_per_sec_1_worker"] = study1.WallRate,
                ["wall_runs_per_sec_2_workers"] = study2.WallRate,
            });
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static double InProcess(Func<int, OptimizationResult<RunMetrics>> sweep, int threads)
    {
        var bestRate = 0.0;
        for (var i = 0; i < Rounds; i++)
        {
            var sw = Stopwatch.StartNew();
            var result = sweep(threads);
            var rate = result.Trials.Count / sw.Elapsed.TotalSeconds;
            bestRate = Math.Max(bestRate, rate);
            Console.WriteLine($"  in-process, {threads} thread(s): {rate,10:N0} runs/s");
        }

        return bestRate;
    }

    /// <summary>Best of <see cref="Rounds"/> fresh studies worked on by <paramref name="workers"/> quant processes.</summary>
    private static (double Rate, double WallRate) Study(string url, string folder, string data, int workers, long combinations, double? bestScore)
    {
        var bestRate = 0.0;
        var bestWall = 0.0;
        for (var round = 0; round < Rounds; round++)
        {
            var name = $"bench_{workers}w_{round}";
            string[] study = ["--study", url, "--study-name", name, "--threads", "1"];
            var sw = Stopwatch.StartNew();
            var processes = new List<(Process Process, Task<string> Stdout, Task<string> Stderr)>
            {
                StartQuant(folder, ["optimize", "--strategy", "sma-cross", "--data", data,
                    .. OptimizeBench.GridArguments.SelectMany(g => new[] { "--grid", g }), "--where", OptimizeBench.Constraint, "--json", .. study]),
            };
            for (var w = 1; w < workers; w++)
            {
                processes.Add(StartQuant(folder, ["optimize", .. study, "--worker"]));
            }

            try
            {
                foreach (var (process, stdout, stderr) in processes)
                {
                    process.WaitForExit();
                    Task.WaitAll(stdout, stderr);
                    if (process.ExitCode != 0)
                    {
                        throw new InvalidOperationException($"quant {string.Join(' ', process.StartInfo.ArgumentList.Skip(1))} exited {process.ExitCode}: {stderr.Result.Trim()}");
                    }
                }
            }
            finally
            {
                foreach (var (process, _, _) in processes)
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                    }

                    process.Dispose();
                }
            }

            var wall = sw.Elapsed.TotalSeconds;
            var (finished, seconds, top) = Measure(url, name);
            if (finished != combinations || top != bestScore)
            {
                throw new InvalidOperationException($"study {name}: {finished} trials finished, best {top}; the in-process sweep has {combinations}, best {bestScore}");
            }

            var rate = finished / seconds;
            bestRate = Math.Max(bestRate, rate);
            bestWall = Math.Max(bestWall, finished / wall);
            Console.WriteLine($"  study, {workers} worker process(es): {rate,10:N0} runs/s (first claim to last result), {finished / wall,10:N0} runs/s wall (processes started to exited)");
        }

        return (bestRate, bestWall);
    }

    /// <summary>
    /// <c>dotnet quant.dll ARGS</c> from the Quant project's own output folder (its path is compiled in, see
    /// Quant.Bench.csproj), output read to the end in the background so that a full pipe never stalls it.
    /// </summary>
    private static (Process Process, Task<string> Stdout, Task<string> Stderr) StartQuant(string folder, string[] args)
    {
        var dll = typeof(OptimizeStudyBench).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), false)
            .Cast<AssemblyMetadataAttribute>().Single(a => a.Key == "QuantDll").Value!;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} not found: build bench/Quant.Bench (it builds src/Quant) in the same configuration");
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(start)!;
        return (process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }

    /// <summary>Finished trials, the seconds from the first claim to the last completion (database clock), the best value.</summary>
    private static (long Finished, double Seconds, double? Best) Measure(string url, string name)
    {
        using var connection = PostgresCluster.Connect(url);
        using var command = new NpgsqlCommand(
            """
            SELECT count(*),
                   extract(epoch FROM max(t.datetime_complete) - min(t.datetime_start))::float8,
                   (SELECT max(CASE v.value_type WHEN 'FINITE' THEN v.value WHEN 'INF_POS' THEN 'Infinity'::float8 ELSE '-Infinity'::float8 END)
                     FROM trial_values v JOIN trials u ON u.trial_id = v.trial_id WHERE u.study_id = s.study_id)
            FROM studies s JOIN trials t ON t.study_id = s.study_id
            WHERE s.study_name = @n AND t.state IN ('COMPLETE', 'PRUNED')
            GROUP BY s.study_id
            """, connection);
        command.Parameters.AddWithValue("n", name);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException($"study {name}: no finished trial");
        }

        return (reader.GetInt64(0), reader.GetDouble(1), reader.IsDBNull(2) ? null : reader.GetDouble(2));
    }
}
