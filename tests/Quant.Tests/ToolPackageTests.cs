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
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_temp.Path, name)).FullName;

    // A private package cache: the real one stays untouched and cannot supply a stale Quant.
    private Dictionary<string, string> Environment => new() { ["NUGET_PACKAGES"] = Path.Combine(_temp.Path, "nuget-cache") };

    private Task Dotnet(string directory, params string[] args) => ChildProcess.DotnetAsync(directory, Environment, args);

    private Task<CliResult> Run(string file, string directory, params string[] args) => ChildProcess.RunAsync(file, directory, Environment, args);
}
