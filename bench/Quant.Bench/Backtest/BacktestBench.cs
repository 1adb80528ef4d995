using System.Diagnostics;
using Quant.Bench.Infrastructure;
using Trading.Backtest.Engine;
using Trading.Core.Market;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;

namespace Quant.Bench.Backtest;

/// <summary>
/// Engine throughput: sma-cross (fast 10, slow 30) over 1 M and 10 M generated candles already in memory, against a
/// hand-written loop doing the same arithmetic on the same array (two running-sum SMAs, the cross test, a position
/// and the equity at each close): the limit the engine is measured against. Also times the whole
/// <c>quant backtest</c> command on the shipped data when the built executable is found.
/// </summary>
internal sealed class BacktestBench : IBench
{
    public string Name => "backtest";

    public string Description => "engine candles/s (sma-cross, 1M and 10M candles) vs a raw loop; whole-command time";

    public int Run(string[] args)
    {
        // Fee 0: on a driftless random walk a 0.1 % fee grinds equity to dust within a million candles, after which
        // every entry is refused for the minimum notional and the engine would be timed doing nothing.
        var options = new BacktestOptions { InitialCash = 10_000m, FeeRate = 0, RecordEquity = false };
        var parameters = SmaCross.Descriptor.Complete(ParameterSet.From(("fast", 10), ("slow", 30)));
        var results = new Dictionary<string, object?>();
        double engine10M = 0, raw10M = 0;
        foreach (var n in new[] { 1_000_000, 10_000_000 })
        {
            var candles = SyntheticCandles.Generate(n);

            // Warm up both until tiered compilation has promoted them (tier 1 with dynamic PGO), as in a long
            // optimizer sweep, before timing.
            for (var w = 0; w < 60; w++)
            {
                BacktestEngine.Run(candles.AsSpan(0, 20_000), SmaCross.Descriptor, parameters, options);
                RawLoop(candles.AsSpan(0, 20_000), 10, 30);
            }

            Thread.Sleep(200); // let the background tier-1 compiler install the promoted code

            var engine = Best(5, () => BacktestEngine.Run(candles, SmaCross.Descriptor, parameters, options).Metrics.Trades);
            var raw = Best(5, () => RawLoop(candles, 10, 30));
            double engineRate = n / engine.Seconds, rawRate = n / raw.Seconds;
            Console.WriteLine($"{n,12:N0} candles  engine {engineRate / 1e6,8:F1} M candles/s ({engine.Check} trades)   raw loop {rawRate / 1e6,8:F1} M candles/s ({raw.Check} trades)   ratio {engineRate / rawRate:P0}");
            results[$"engine_{n / 1_000_000}m_candles_per_sec"] = engineRate;
            results[$"raw_{n / 1_000_000}m_candles_per_sec"] = rawRate;
            if (n == 10_000_000)
            {
                engine10M = engineRate;
                raw10M = rawRate;
            }
        }

        var command = WholeCommand();
        if (command is { } ms)
        {
            results["whole_command_ms_median"] = ms;
        }

        BenchReport.Print("backtest", engine10M, "candles/s", raw10M, results);
        return 0;
    }

    /// <summary>The fastest of <paramref name="repeats"/> timed runs (the least disturbed by a shared machine).</summary>
    private static (double Seconds, long Check) Best(int repeats, Func<long> run)
    {
        var best = double.MaxValue;
        long check = 0;
        for (var i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            check = run();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }

        return (best, check);
    }

    /// <summary>
    /// The same decisions as sma-cross with next-open fills, written as one flat loop: running-sum SMAs, cross
    /// detection, buy all-in / sell all at the next open with a 0.1 % fee, equity at every close. Returns trades.
    /// </summary>
    private static long RawLoop(ReadOnlySpan<Candle> c, int fast, int slow)
    {
        double sumF = 0, sumS = 0, prevF = 0, prevS = 0, cash = 10_000, qty = 0, peak = cash, maxDd = 0, sumR = 0, prevE = cash;
        var pending = 0;
        long trades = 0;
        for (var i = 0; i < c.Length; i++)
        {
            if (pending != 0)
            {
                var p = c[i].Open;
                if (pending > 0)
                {
                    qty = cash / p;
                    cash = 0;
                }
                else
                {
                    cash = qty * p;
                    qty = 0;
                    trades++;
                }

                pending = 0;
            }

            var close = c[i].Close;
            sumF += close - (i >= fast ? c[i - fast].Close : 0);
            sumS += close - (i >= slow ? c[i - slow].Close : 0);
            if (i >= slow - 1)
            {
                double f = sumF / fast, s = sumS / slow;
                if (i >= slow)
                {
                    if (prevF <= prevS && f > s && qty == 0)
                    {
                        pending = 1;
                    }
                    else if (prevF >= prevS && f < s && qty > 0)
                    {
                        pending = -1;
                    }
                }

                prevF = f;
                prevS = s;
            }

            var e = cash + (qty * close);
            sumR += (e / prevE) - 1;
            prevE = e;
            peak = Math.Max(peak, e);
            maxDd = Math.Max(maxDd, 1 - (e / peak));
        }

        return trades + (long)(maxDd * 0) + (long)(sumR * 0);
    }

    /// <summary>Median wall time of 10 runs of the built <c>quant backtest</c> on the shipped data, or null when not built.</summary>
    private static double? WholeCommand()
    {
        var root = FindRoot();
        var exe = new[] { ".quant/quant", "src/Quant/bin/Release/net10.0/quant" }.Select(p => Path.Combine(root, p)).FirstOrDefault(File.Exists);
        if (exe is null)
        {
            Console.WriteLine("whole command: quant executable not built; skipped");
            return null;
        }

        var times = new List<double>();
        for (var i = 0; i < 11; i++)
        {
            var psi = new ProcessStartInfo(exe, ["backtest", "--json"]) { WorkingDirectory = root, RedirectStandardOutput = true };
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (i > 0)
            {
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        var median = times[times.Count / 2];
        Console.WriteLine($"whole command: {Path.GetRelativePath(root, exe)} backtest --json  median {median:F1} ms over {times.Count} runs");
        return median;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Quant.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
