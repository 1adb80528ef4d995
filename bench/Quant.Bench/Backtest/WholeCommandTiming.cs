using System.Diagnostics;
using System.Text.Json;

namespace Quant.Bench.Backtest;

/// <summary>
/// Whole-command time of <c>quant backtest</c> on the shipped data (issue 16 item 5: ≤ 100 ms after
/// <c>dotnet publish</c>), run from the repository root as a user would. The executable is the first found of: the
/// default <c>dotnet publish</c> output (src/Quant/bin/Release/net10.0/&lt;rid&gt;/publish/quant — ReadyToRun, as
/// shipped), the repository's <c>.quant/quant</c>, then the plain build output (not precompiled: its figure says so,
/// and is not the target's). Timed with hyperfine when it is installed (<c>-N</c>, no shell; 3 warm-up runs, then
/// 20 of each: the median, and the mean user + system CPU, which a loaded machine inflates less than the wall time),
/// in one call for <c>backtest</c> (the target's command), <c>backtest --json</c> and <c>--version</c> (the runtime's
/// start-up and the command tree without any work: what the backtest costs is the difference); otherwise in-process:
/// 11 runs of <c>backtest</c>, the first dropped, the median wall time.
/// </summary>
internal static class WholeCommandTiming
{
    /// <summary>The figures (<c>whole_command_ms_median</c> and what else was measured) into <paramref name="results"/>; nothing when no executable is built.</summary>
    public static void Measure(string root, Dictionary<string, object?> results)
    {
        var (exe, published) = Find(root);
        if (exe is null)
        {
            Console.WriteLine("whole command: quant executable not built (dotnet publish src/Quant -c Release); skipped");
            return;
        }

        var name = Path.GetRelativePath(root, exe);
        results["whole_command_executable"] = name;
        results["whole_command_published"] = published;
        var hyperfine = FindOnPath("hyperfine");
        if (hyperfine is not null && Hyperfine(hyperfine, exe, root) is { } h)
        {
            // The machine is shared: a figure is read with the load it was measured under (1-minute average, after).
            var load = LoadAverage();
            results["whole_command_load_avg"] = load;
            var note = (published ? "" : "; not a published build") + (load is { } l ? $"; load average {l:F2}" : "");
            Console.WriteLine($"whole command: {name} backtest  median {h[0].Median:F1} ms, CPU {h[0].Cpu:F1} ms (user+sys) over {h[0].Runs} runs (hyperfine){note}");
            Console.WriteLine($"whole command: {name} backtest --json  median {h[1].Median:F1} ms, CPU {h[1].Cpu:F1} ms");
            Console.WriteLine($"whole command: {name} --version (start-up floor)  median {h[2].Median:F1} ms, CPU {h[2].Cpu:F1} ms");
            results["whole_command_ms_median"] = h[0].Median;
            results["whole_command_cpu_ms_mean"] = h[0].Cpu;
            results["whole_command_json_ms_median"] = h[1].Median;
            results["whole_command_json_cpu_ms_mean"] = h[1].Cpu;
            results["whole_command_version_ms_median"] = h[2].Median;
            results["whole_command_version_cpu_ms_mean"] = h[2].Cpu;
            results["whole_command_timer"] = "hyperfine";
            return;
        }

        var median = InProcess(exe, root);
        Console.WriteLine($"whole command: {name} backtest  median {median:F1} ms over 10 runs (in-process timer){(published ? "" : "; not a published build")}");
        results["whole_command_ms_median"] = median;
        results["whole_command_timer"] = "in-process";
    }

    private static (string? Exe, bool Published) Find(string root)
    {
        var bin = Path.Combine(root, "src/Quant/bin/Release/net10.0");
        if (Directory.Exists(bin))
        {
            foreach (var rid in Directory.EnumerateDirectories(bin).OrderBy(d => d, StringComparer.Ordinal))
            {
                var candidate = Path.Combine(rid, "publish", "quant");
                if (File.Exists(candidate))
                {
                    return (candidate, true);
                }
            }
        }

        var tool = Path.Combine(root, ".quant/quant");
        if (File.Exists(tool))
        {
            return (tool, true);
        }

        var build = Path.Combine(bin, "quant");
        return File.Exists(build) ? (build, false) : (null, false);
    }

    // The 1-minute load average from /proc/loadavg; null where there is none.
    private static double? LoadAverage() =>
        File.Exists("/proc/loadavg")
        && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var l)
            ? l
            : null;

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    // One hyperfine call, so that the three share the machine's load: backtest, backtest --json, --version.
    private static (double Median, double Cpu, int Runs)[]? Hyperfine(string hyperfine, string exe, string root)
    {
        var json = Path.Combine(Path.GetTempPath(), $"quant-whole-command-{Environment.ProcessId}.json");
        try
        {
            var psi = new ProcessStartInfo(hyperfine, ["-N", "--warmup", "3", "--runs", "20", "--style", "none", "--export-json", json,
                $"{exe} backtest", $"{exe} backtest --json", $"{exe} --version"])
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0 || !File.Exists(json))
            {
                Console.WriteLine($"whole command: hyperfine failed ({stderr.Result.Trim()}); the in-process timer instead");
                return null;
            }

            using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
            return doc.RootElement.GetProperty("results").EnumerateArray()
                .Select(r => (r.GetProperty("median").GetDouble() * 1000,
                    (r.GetProperty("user").GetDouble() + r.GetProperty("system").GetDouble()) * 1000,
                    r.GetProperty("times").GetArrayLength()))
                .ToArray();
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static double InProcess(string exe, string root)
    {
        var times = new List<double>();
        for (var i = 0; i < 11; i++)
        {
            var psi = new ProcessStartInfo(exe, ["backtest"]) { WorkingDirectory = root, RedirectStandardOutput = true };
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
        return times[times.Count / 2];
    }
}
