using System.Collections;
using Quant.Cli;

namespace Quant.Tests;

public sealed class CliHelpersTests
{
    [Theory]
    [InlineData("2024-01-01", 1_704_067_200_000)]
    [InlineData("2024-01-01T01:30", 1_704_067_200_000 + 5_400_000)]
    [InlineData("2024-01-01T01:30:00Z", 1_704_067_200_000 + 5_400_000)]
    [InlineData("2024-01-01 01:30:00", 1_704_067_200_000 + 5_400_000)]
    [InlineData("2024-01-01T03:30:00+02:00", 1_704_067_200_000 + 5_400_000)]
    [InlineData("2024-01-01T00:00:00.250Z", 1_704_067_200_250)]
    [InlineData("1704067200000", 1_704_067_200_000)]
    public void Dates_parse_as_utc(string text, long expected) => Assert.Equal(expected, UtcDate.TryParseMs(text));

    [Theory]
    [InlineData("01/02/2024")]
    [InlineData("2024-13-01")]
    [InlineData("tomorrow")]
    [InlineData("")]
    public void Non_iso_dates_are_refused(string text) => Assert.Null(UtcDate.TryParseMs(text));

    [Fact]
    public void Dates_format_as_iso_utc() =>
        Assert.Equal(["2024-01-01T00:00:00Z", "2024-01-01T00:00:00.250Z"], new[] { UtcDate.Format(1_704_067_200_000), UtcDate.Format(1_704_067_200_250) });

    [Fact]
    public void Settings_come_from_the_file_then_the_environment_with_the_command_section_first()
    {
        using var dir = new TempFolder();
        var file = dir.Write("appsettings.json", """{ "data": "file.csv", "fee": "0.002", "backtest": { "cash": "500" } }""");
        var env = new Hashtable { ["QUANT_FEE"] = "0.003", ["QUANT_BACKTEST__SLIPPAGE_BPS"] = "5", ["OTHER_FEE"] = "9" };
        var settings = new QuantSettings(file, env);

        Assert.Equal("file.csv", settings.Get("backtest", "data"));
        Assert.Equal("0.003", settings.Get("backtest", "fee"));            // the environment beats the file
        Assert.Equal("500", settings.Get("backtest", "cash"));             // command section
        Assert.Null(settings.Get("optimize", "cash"));                     // another command's section does not leak
        Assert.Equal("5", settings.Get("backtest", "slippage_bps"));
        Assert.Null(settings.Get("backtest", "nothing"));
        Assert.Null(new QuantSettings(Path.Combine(dir.Path, "absent.json"), new Hashtable()).Get("backtest", "data"));
    }

    [Fact]
    public void A_bad_configured_value_is_a_usage_error_naming_the_setting()
    {
        var context = CliRunner.WithEnvironment(("QUANT_PROBE__LIMIT", "lots"));
        var option = new System.CommandLine.Option<int>("--limit").Configured(context, "probe", 7);
        var command = new System.CommandLine.Command("probe") { option };
        command.SetAction(parse => parse.GetValue(option));
        var root = new System.CommandLine.RootCommand { command };
        var stderr = new StringWriter();

        Assert.Equal(2, QuantCli.RunRoot(root, ["probe"], TextWriter.Null, stderr));
        Assert.Equal("quant: setting 'probe:limit' (QUANT_PROBE__LIMIT): bad value 'lots' for --limit", stderr.ToString().TrimEnd('\n'));
        Assert.Equal(12, QuantCli.RunRoot(root, ["probe", "--limit", "12"], TextWriter.Null, TextWriter.Null));
    }

    [Fact]
    public void Data_paths_fall_back_to_the_repository_of_the_executable()
    {
        using var repo = new TempFolder();
        repo.Write("Quant.sln", string.Empty);
        Directory.CreateDirectory(Path.Combine(repo.Path, "data", "raw"));
        repo.Write(Path.Combine("data", "a.csv"), Header);
        var exe = Path.Combine(repo.Path, "src", "Quant", "bin");
        Directory.CreateDirectory(exe);
        using var elsewhere = new TempFolder();

        Assert.Equal(Path.Combine(repo.Path, "data/a.csv"), DataPaths.Resolve("data/a.csv", elsewhere.Path, exe));
        Assert.Equal(Path.Combine(repo.Path, "data/raw"), DataPaths.Resolve("data/raw", elsewhere.Path, exe));
        Assert.Equal(Path.Combine(repo.Path, "data/*.csv"), DataPaths.Resolve("data/*.csv", elsewhere.Path, exe));
        Assert.Equal("data/a.csv", DataPaths.Resolve("data/a.csv", repo.Path, exe));      // found where the user is
        Assert.Equal("data/b.csv", DataPaths.Resolve("data/b.csv", elsewhere.Path, exe)); // found nowhere: as typed
        Assert.Equal("/abs/x.csv", DataPaths.Resolve("/abs/x.csv", elsewhere.Path, exe));
    }

    private const string Header = "timestamp,open,high,low,close,volume";
}
