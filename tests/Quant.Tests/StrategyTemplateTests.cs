using Quant.Cli;

namespace Quant.Tests;

/// <summary>
/// templates/quant-strategy: installed with <c>dotnet new install</c> (into a private template hive), instantiated,
/// built against the packed Trading.Core, its own test project's backtest tests run (<c>dotnet test</c>, against the
/// packed Trading.Backtest), and the strategy run through <c>quant backtest --strategy-assembly</c>. The packages get a
/// version no earlier run used, the package cache is a new empty folder, and the package sources are the folder it was
/// packed into and, for CsvHelper (restored for the repository already), the user's package cache read as a feed; so
/// the build cannot pick up a stale Trading.Core, and the user's cache is left as it was.
/// </summary>
public sealed class StrategyTemplateTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_template_builds_a_strategy_that_quant_backtest_loads()
    {
        var repository = DataPaths.RepositoryOf(AppContext.BaseDirectory)!;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var feed = Folder("feed");
        var hive = Folder("hive");
        var work = Folder("work");
        var version = "1.0.0-test." + Guid.NewGuid().ToString("N");
        var userCache = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_temp.Path, "nuget-cache") };
        _temp.Write(
            "work/nuget.config",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
            $"<configuration><packageSources><clear /><add key=\"feed\" value=\"{feed}\" /><add key=\"cache\" value=\"{userCache}\" /></packageSources></configuration>");

        // PackageVersion changes the package, not the assembly, so --no-build packs the build this test run made.
        await ChildProcess.DotnetAsync(repository, environment, "pack", "src/Trading.Core", "-c", configuration, "--no-build", "-o", feed, $"-p:PackageVersion={version}");
        await ChildProcess.DotnetAsync(repository, environment, "pack", "src/Trading.Backtest", "-c", configuration, "--no-build", "-o", feed, $"-p:PackageVersion={version}");
        await ChildProcess.DotnetAsync(repository, environment, "new", "install", Path.Combine(repository, "templates", "quant-strategy"), "--debug:custom-hive", hive);
        await ChildProcess.DotnetAsync(
            work, environment, "new", "quant-strategy", "-n", "Trend", "--StrategyName", "trend", "--TradingCoreVersion", version, "--debug:custom-hive", hive);
        var project = Path.Combine(work, "Trend", "Trend");
        // dotnet test builds the strategy (a reference of the test project) and runs the template's backtest tests.
        var tests = await ChildProcess.RunAsync(
            "dotnet", Path.Combine(work, "Trend", "Trend.Tests"), environment, "test", "-c", "Release", "--nologo", "--disable-build-servers");
        Assert.True(tests.ExitCode == 0, $"dotnet test: exit {tests.ExitCode}\n{tests.Stdout}\n{tests.Stderr}");
        Assert.Matches(@"Passed!\s+- Failed:\s+0, Passed:\s+2,", tests.Stdout);

        var dll = Path.Combine(project, "bin", "Release", "net10.0", "Trend.dll");
        Assert.False(File.Exists(Path.Combine(project, "bin", "Release", "net10.0", "Trading.Core.dll")), "Trading.Core must bind to quant's copy");
        var readme = File.ReadAllText(Path.Combine(work, "Trend", "README.md"));
        Assert.Contains("--strategy-assembly Trend/bin/Release/net10.0/Trend.dll --strategy trend", readme, StringComparison.Ordinal);

        var r = CliRunner.Run("backtest", "--strategy-assembly", dll, "--strategy", "trend", "--param", "period=30", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.StartsWith("{\"strategy\":\"trend\",\"params\":{\"period\":30", r.Stdout, StringComparison.Ordinal);
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_temp.Path, name)).FullName;
}
