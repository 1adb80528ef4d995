using System.Diagnostics;
using System.Globalization;
using Quant.Cli;
using Quant.Sample;

namespace Quant.Tests;

/// <summary>
/// <c>quant</c> as a .NET tool: packs src/Quant (the build this test run already made, <c>--no-build</c>), installs the
/// package into a fresh tool path and runs the installed <c>quant</c> from an empty folder, as a new user would. One
/// test, because packing and installing take seconds. Nothing stale can be installed: the only package source is the
/// folder just packed into (a nuget.config that clears every other), and the package cache is a new empty folder.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_packed_tool_installs_and_runs_from_an_empty_folder()
    {
        var repository = DataPaths.RepositoryOf(AppContext.BaseDirectory)!;
        // bin/<configuration>/net10.0/: pack the configuration the tests were built in, which built src/Quant too.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var packages = Folder("packages");
        var tools = Folder("tools");
        var empty = Folder("empty");
        var config = _temp.Write(
            "nuget.config",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
            $"<configuration><packageSources><clear /><add key=\"packed\" value=\"{packages}\" /></packageSources></configuration>");

        await Dotnet(repository, "pack", "src/Quant", "-c", configuration, "--no-build", "-o", packages);
        Assert.Single(Directory.GetFiles(packages, "Quant.*.nupkg"));
        await Dotnet(empty, "tool", "install", "--tool-path", tools, "--configfile", config, "Quant");

        var quant = Path.Combine(tools, OperatingSystem.IsWindows() ? "quant.exe" : "quant");
        var backtest = await Run(quant, empty, "backtest");
        Assert.True(backtest.ExitCode == 0, backtest.Stderr);
        Assert.Equal(BuiltInSample.Notice, backtest.Stderr.Trim());
        Assert.StartsWith("sma-cross fast=10", backtest.Stdout, StringComparison.Ordinal);
        Assert.Contains("2024-01-02T06:00:00Z → 2025-01-01T00:00:00Z", backtest.Stdout, StringComparison.Ordinal);

        var missing = await Run(quant, empty, "backtest", "--data", "mine.csv");
        Assert.Equal(ExitCodes.Data, missing.ExitCode);
        Assert.Equal("quant: --data mine.csv: not found", missing.Stderr.Trim());

        // 10 × 19 grid points, 16 of them with fast >= slow.
        var optimize = await Run(quant, empty, "optimize", "--grid", "fast=5:50:5", "--grid", "slow=20:200:10", "--where", "fast < slow");
        Assert.True(optimize.ExitCode == 0, optimize.Stderr);
        Assert.Equal(BuiltInSample.Notice, optimize.Stderr.Trim());
        Assert.Contains("174 runs in ", optimize.Stdout, StringComparison.Ordinal);

        await DownloadsFromTheInstalledSim(quant, empty);
    }

    // The installed `quant sim` (paused: 1,500 candles of history, the built-in sample's first) serves `quant data
    // download`; a download stopped at --to is resumed by the next one, and `quant data validate` accepts the file.
    private async Task DownloadsFromTheInstalledSim(string quant, string folder)
    {
        var start = new ProcessStartInfo(quant)
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "sim", "--speed", "0", "--warmup", "1500" })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        using var sim = new Process { StartInfo = start };
        var restUrl = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        sim.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data is null)
            {
                restUrl.TrySetResult(null);
            }
            else if (e.Data.TrimStart().StartsWith("REST ", StringComparison.Ordinal))
            {
                restUrl.TrySetResult(e.Data.Trim()["REST".Length..].Trim());
            }
        };
        sim.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        sim.Start();
        sim.BeginOutputReadLine();
        sim.BeginErrorReadLine();
        string Printed()
        {
            lock (output)
            {
                return output.ToString();
            }
        }

        try
        {
            var rest = await restUrl.Task;
            Assert.True(rest is not null, "quant sim printed no REST URL: " + Printed());
            var download = new[] { "data", "download", "--exchange", "sim", "--rest-url", rest!, "--interval", "1h", "--from", "2024-01-01", "--out", "btc.csv" };
            var first = await Run(quant, folder, [.. download, "--to", "2024-01-20T05:00:00Z"]);
            Assert.True(first.ExitCode == 0, $"{first.Stderr}\nquant sim printed:\n{Printed()}");
            Assert.Equal("btc.csv: 461 candles, 2024-01-01T00:00:00Z → 2024-01-20T04:00:00Z\n", first.Stdout);
            var resumed = await Run(quant, folder, download);
            Assert.True(resumed.ExitCode == 0, resumed.Stderr);
            Assert.Contains("resuming after 2024-01-20T04:00:00Z, the last candle in btc.csv", resumed.Stderr, StringComparison.Ordinal);

            var validate = await Run(quant, folder, "data", "validate", "--strict", "--data", "btc.csv");
            Assert.True(validate.ExitCode == 0, validate.Stderr);
            Assert.StartsWith("valid: btc.csv: 1,500 candles, interval 1h, 2024-01-01T00:00:00Z → ", validate.Stdout, StringComparison.Ordinal);
            Assert.Contains(", 0 gaps (0 missing)", validate.Stdout, StringComparison.Ordinal);
            var times = File.ReadLines(Path.Combine(folder, "btc.csv")).Skip(1).Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]).ToList();
            Assert.Equal(times.Count, times.Distinct().Count());
        }
        finally
        {
            // SIGINT, as Ctrl-C: the generic host stops the simulator. A simulator that does not stop is killed after a
            // minute (a safety net, not a timing assertion), and the test fails below.
            using (var interrupt = Process.Start("kill", ["-INT", sim.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            using var stuck = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await sim.WaitForExitAsync(stuck.Token);
            }
            catch (OperationCanceledException)
            {
                sim.Kill(entireProcessTree: true);
            }
        }

        Assert.True(sim.ExitCode == 0, $"quant sim: exit {sim.ExitCode}\n{Printed()}");
        Assert.Contains("stopped at market time", Printed(), StringComparison.Ordinal);
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_temp.Path, name)).FullName;

    // A private package cache: the real one stays untouched and cannot supply a stale Quant.
    private Dictionary<string, string> Environment => new() { ["NUGET_PACKAGES"] = Path.Combine(_temp.Path, "nuget-cache") };

    private Task Dotnet(string directory, params string[] args) => ChildProcess.DotnetAsync(directory, Environment, args);

    private Task<CliResult> Run(string file, string directory, params string[] args) => ChildProcess.RunAsync(file, directory, Environment, args);
}
