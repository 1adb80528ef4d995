using System.Diagnostics;
using Quant.Cli;

namespace Quant.Tests;

/// <summary>Runs a child process (dotnet, an installed quant) to its end and captures what it printed.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="file"/> in <paramref name="directory"/> with no <c>QUANT_</c> settings, no first-run or
    /// telemetry noise, and the extra <paramref name="environment"/>. A hung child is killed after 5 minutes (a safety
    /// net, not a timing assertion).
    /// </summary>
    public static async Task<CliResult> RunAsync(string file, string directory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith(QuantSettings.EnvironmentPrefix, StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary><c>dotnet ARGS</c>, asserting that it succeeds.</summary>
    public static async Task DotnetAsync(string directory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var r = await RunAsync("dotnet", directory, environment, args);
        Assert.True(r.ExitCode == 0, $"dotnet {string.Join(' ', args)}: exit {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
    }
}
