using Quant.Cli;
using Quant.Sample;
using Trading.Core.Data;

namespace Quant.Tests;

/// <summary>
/// The built-in sample: the same candles as data/BTCUSDT_1h_2024.csv, used by every command when <c>--data</c> is not
/// given and the default file is nowhere to be found (run as an installed tool: the executable is in no repository,
/// simulated by pointing <see cref="CliContext.ExecutableDirectory"/> at an empty folder; the tests' current folder,
/// their bin folder, has no data/).
/// </summary>
public sealed class BuiltInSampleTests : IDisposable
{
    private readonly TempFolder _elsewhere = new();

    private CliContext Installed => new(QuantSettings.None) { ExecutableDirectory = _elsewhere.Path };

    private static string RepositoryData =>
        Path.Combine(DataPaths.RepositoryOf(AppContext.BaseDirectory)!, DataPaths.Relative);

    public void Dispose() => _elsewhere.Dispose();

    [Fact]
    public void The_sample_holds_exactly_the_candles_of_the_shipped_csv()
    {
        var sample = BuiltInSample.Load(null);
        var file = CandleLoader.Load(RepositoryData);
        Assert.Equal(8784, sample.Count);
        Assert.Equal(file.Candles.ToArray(), sample.Candles.ToArray());
        Assert.Equal(file.IntervalMs, sample.IntervalMs);
    }

    [Fact]
    public void Backtest_without_data_runs_on_the_sample_and_says_so_once_on_stderr()
    {
        var sample = CliRunner.Run(Installed, "backtest", "--from", "2024-03-01", "--to", "2024-05-01");
        var file = CliRunner.Run("backtest", "--from", "2024-03-01", "--to", "2024-05-01", "--data", RepositoryData);
        Assert.True(sample.ExitCode == 0, sample.Stderr);
        Assert.Equal(BuiltInSample.Notice + "\n", sample.Stderr);
        Assert.Equal(WithoutTimings(file.Stdout), WithoutTimings(sample.Stdout));
    }

    // The run-time row differs from run to run; everything else must be identical.
    private static string[] WithoutTimings(string output) =>
        output.Split('\n').Where(line => !line.Contains(" ms (", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void Live_against_the_simulator_without_data_replays_the_sample()
    {
        // Lockstep over three days of the sample: the same trades as the shipped file gives, and the notice once.
        string[] args = ["live", "--exchange", "sim", "--lockstep", "--from", "2024-03-01", "--to", "2024-03-04", "--json-events"];
        var sample = CliRunner.Run(Installed, args);
        Assert.True(sample.ExitCode == 0, sample.Stderr);
        Assert.Equal(1, sample.Stderr.Split('\n').Count(l => l == BuiltInSample.Notice));
        var file = CliRunner.Run([.. args, "--data", RepositoryData]);
        Assert.True(file.ExitCode == 0, file.Stderr);
        Assert.Equal(Candles(file.Stdout), Candles(sample.Stdout));
        Assert.NotEmpty(Candles(sample.Stdout));
    }

    // The candle events the strategy saw (one JSON line each); connection lines carry ports and times, so they differ.
    private static string[] Candles(string jsonLines) =>
        jsonLines.Split('\n').Where(l => l.Contains("\"candle\"", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void Data_info_without_data_reports_the_sample()
    {
        var r = CliRunner.Run(Installed, "data", "info");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("data      built-in sample BTCUSDT 1h 2024\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("candles   8,784\n", r.Stdout, StringComparison.Ordinal);
        Assert.Equal(BuiltInSample.Notice + "\n", r.Stderr);
    }

    [Fact]
    public void The_shipped_file_is_preferred_when_it_can_be_found()
    {
        var r = CliRunner.Run("data", "info");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(string.Empty, r.Stderr);
        Assert.Contains(DataPaths.Relative, r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nope.csv")]
    [InlineData(DataPaths.Relative)]
    public void An_explicit_data_path_that_does_not_exist_is_an_error_not_the_sample(string path)
    {
        var r = CliRunner.Run(Installed, "backtest", "--data", path);
        Assert.Equal(ExitCodes.Data, r.ExitCode);
        Assert.Equal($"quant: --data {path}: not found\n", r.Stderr);
        Assert.DoesNotContain(":0", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_data_path_that_does_not_exist_is_an_error_not_the_sample()
    {
        var context = new CliContext(new QuantSettings(string.Empty, new System.Collections.Hashtable { ["QUANT_DATA"] = "missing.csv" }))
        {
            ExecutableDirectory = _elsewhere.Path,
        };
        var r = CliRunner.Run(context, "data", "info");
        Assert.Equal(ExitCodes.Data, r.ExitCode);
        Assert.Equal("quant: setting 'data' (QUANT_DATA) missing.csv: not found\n", r.Stderr);
    }
}
