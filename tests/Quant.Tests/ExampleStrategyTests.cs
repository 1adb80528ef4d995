using System.Diagnostics;
using System.Text.Json;
using Quant.Cli;

namespace Quant.Tests;

/// <summary>
/// examples/MyStrategy builds on its own (outside Quant.sln, against Trading.Core alone) and quant loads it with
/// <c>--strategy-assembly</c>. One build per test run (a shared fixture), with build servers off so that no
/// MSBuild or compiler process outlives the test.
/// </summary>
[Collection(ExampleStrategyTests.BuildCollection)]
public sealed class ExampleStrategyTests(ExampleStrategyTests.BuiltExample example) : IClassFixture<ExampleStrategyTests.BuiltExample>
{
    /// <summary>Test classes that build examples/MyStrategy run one after the other (one build at a time into its bin/obj).</summary>
    public const string BuildCollection = "examples/MyStrategy build";

    [Fact]
    public void Strategies_lists_the_example_with_its_parameters()
    {
        var r = CliRunner.Run("strategies", "--json", "--strategy-assembly", example.Dll);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var strategies = doc.RootElement.GetProperty("strategies").EnumerateArray().ToArray();
        Assert.Equal("ema-trend", strategies[^1].GetProperty("name").GetString()); // built-ins first, then loaded ones
        var parameters = strategies[^1].GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["fast", "slow", "rsi-period", "max-rsi", "stop-pct", "take-pct", "max-hold", "size", "qty"], parameters);
    }

    [Fact]
    public void Backtest_runs_the_example_on_the_shipped_data()
    {
        var r = CliRunner.Run("backtest", "--json", "--strategy-assembly", example.Dll, "--strategy", "ema-trend", "--param", "stop-pct=0.03");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(8784, doc.RootElement.GetProperty("candles").GetInt32());
        Assert.True(doc.RootElement.GetProperty("trades").GetInt32() > 0);
    }

    [Theory]
    [InlineData("quote")]
    [InlineData("received")]
    public void The_examples_oco_exit_and_time_limit_close_trades(string feeAsset)
    {
        var dir = Path.Combine(Path.GetTempPath(), "quant-example-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = CliRunner.Run("backtest", "--json", "--strategy-assembly", example.Dll, "--strategy", "ema-trend", "--fee-asset", feeAsset, "--out", dir);
            Assert.True(r.ExitCode == 0, r.Stderr);
            using var doc = JsonDocument.Parse(r.Stdout);
            Assert.Equal(0, doc.RootElement.GetProperty("rejected_orders").GetInt32()); // no second OCO leg ever sold
            Assert.Equal(26, doc.RootElement.GetProperty("warmup_candles").GetInt32()); // max(fast 12, slow 26, rsi 14 + 1)
            var reasons = File.ReadLines(Path.Combine(dir, "trades.csv")).Skip(1).Select(l => l.Split(',')[^1]).ToHashSet();
            Assert.Superset(new HashSet<string> { "signal", "stop", "take-profit", "max-hold" }, reasons);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void Unknown_example_parameter_is_a_usage_error()
    {
        var r = CliRunner.Run("backtest", "--strategy-assembly", example.Dll, "--strategy", "ema-trend", "--param", "stop=0.03");
        r.AssertUsageError("unknown parameter 'stop' for strategy 'ema-trend'");
    }

    /// <summary>Builds examples/MyStrategy once: <c>dotnet build examples/MyStrategy -c Release</c>, as its docs say.</summary>
    public sealed class BuiltExample
    {
        public BuiltExample()
        {
            var repo = DataPaths.RepositoryOf(AppContext.BaseDirectory) ?? throw new InvalidOperationException("repository not found above " + AppContext.BaseDirectory);
            var project = Path.Combine(repo, "examples", "MyStrategy");
            var start = new ProcessStartInfo("dotnet", ["build", project, "-c", "Release", "--nologo", "-v", "q", "--disable-build-servers"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = repo,
            };
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            using var build = Process.Start(start)!;
            var stdout = build.StandardOutput.ReadToEndAsync();
            var stderr = build.StandardError.ReadToEndAsync();
            if (!build.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                build.Kill(entireProcessTree: true);
                throw new TimeoutException("dotnet build examples/MyStrategy took more than 5 minutes");
            }

            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet build examples/MyStrategy failed ({build.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
            }

            Dll = Path.Combine(project, "bin", "Release", "net10.0", "MyStrategy.dll");
            Assert.True(File.Exists(Dll), Dll);
        }

        public string Dll { get; }
    }
}
