using System.CommandLine;
using Quant.Cli;

namespace Quant.Tests;

/// <summary>
/// The shared option helpers (<see cref="StrategyOptions"/>, <see cref="DataOptions"/>) on a test command, through the
/// same error path as the real commands.
/// </summary>
public sealed class SharedOptionsTests
{
    private static (int Code, string Stdout, string Stderr, StrategyChoice? Choice, string? Data, (long? From, long? To) Range) Run(CliContext context, params string[] args)
    {
        StrategyChoice? choice = null;
        string? data = null;
        (long?, long?) range = default;
        var command = new Command("probe");
        var strategy = new StrategyOptions(context, "probe");
        var dataOptions = new DataOptions(context, "probe");
        strategy.AddTo(command);
        dataOptions.AddTo(command);
        command.SetAction(parse =>
        {
            choice = strategy.Resolve(parse);
            data = parse.GetValue(dataOptions.Data);
            range = dataOptions.Range(parse);
            return 0;
        });
        var root = new RootCommand { command };
        root.Options.Add(CommonOptions.Verbose());

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = QuantCli.RunRoot(root, ["probe", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString(), choice, data, range);
    }

    private static (int Code, string Stdout, string Stderr, StrategyChoice? Choice, string? Data, (long? From, long? To) Range) Run(params string[] args) =>
        Run(new CliContext(QuantSettings.None), args);

    [Fact]
    public void Defaults_are_sma_cross_with_its_defaults_and_the_shipped_data()
    {
        var r = Run();
        Assert.Equal(0, r.Code);
        Assert.Equal("sma-cross", r.Choice!.Descriptor.Name);
        Assert.Equal(r.Choice.Descriptor.Defaults, r.Choice.Parameters);
        Assert.Empty(r.Choice.Overrides);
        Assert.Equal("data/BTCUSDT_1h_2024.csv", r.Data);
        Assert.Equal((null, null), r.Range);
    }

    [Fact]
    public void Params_repeat_and_split_on_commas()
    {
        var r = Run("--param", "fast=5,slow=50", "--param", "qty=0.5");
        Assert.Equal(0, r.Code);
        Assert.Equal(5, r.Choice!.Parameters.Get("fast"));
        Assert.Equal(50, r.Choice.Parameters.Get("slow"));
        Assert.Equal(0.5, r.Choice.Parameters.Get("qty"));
        Assert.Equal(["fast", "slow", "qty"], r.Choice.Overrides.Select(o => o.Key));
    }

    [Theory]
    [InlineData(new[] { "--param", "fast" }, "--param: expected NAME=VALUE, got 'fast'")]
    [InlineData(new[] { "--param", "fast=" }, "--param: expected NAME=VALUE, got 'fast='")]
    [InlineData(new[] { "--param", "fast=5", "--param", "fast=6" }, "--param: parameter 'fast' given twice")]
    [InlineData(new[] { "--param", "fats=5" }, "--param: unknown parameter 'fats' for strategy 'sma-cross'")]
    [InlineData(new[] { "--param", "fast=five" }, "--param: parameter 'fast' expects a number, got 'five'")]
    [InlineData(new[] { "--param", "fast=1" }, "--param: parameter 'fast' = 1 is out of range [2, 200]")]
    [InlineData(new[] { "--param", "fast=2.5" }, "--param: parameter 'fast' must be a whole number")]
    [InlineData(new[] { "--strategy", "nope" }, "--strategy: unknown strategy 'nope' (known: sma-cross")]
    [InlineData(new[] { "--from", "yesterday" }, "--from: expected an ISO-8601 date")]
    [InlineData(new[] { "--to", "03/01/2024" }, "--to: expected an ISO-8601 date")]
    [InlineData(new[] { "--from", "2024-03-01", "--to", "2024-02-01" }, "--from 2024-03-01T00:00:00Z is not before --to 2024-02-01T00:00:00Z")]
    [InlineData(new[] { "--from", "2024-03-01", "--to", "2024-03-01" }, "is not before --to")]
    public void Bad_values_are_one_line_usage_errors_naming_the_flag(string[] args, string expected)
    {
        var r = Run(args);
        Assert.Equal(2, r.Code);
        Assert.Equal(string.Empty, r.Stdout);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("quant: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Dates_are_utc_with_from_inclusive_and_to_as_given()
    {
        var r = Run("--from", "2024-01-01", "--to", "2024-02-01T12:30:00Z");
        Assert.Equal(0, r.Code);
        Assert.Equal(1_704_067_200_000, r.Range.From); // 2024-01-01T00:00:00Z = 19723 days × 86,400,000 ms
        Assert.Equal(1_704_067_200_000 + (31 * 24 * 3600_000L) + (12 * 3600_000L) + (30 * 60_000L), r.Range.To);
    }

    [Fact]
    public void Settings_supply_defaults_and_the_command_line_overrides_them()
    {
        var context = CliRunner.WithEnvironment(("QUANT_STRATEGY", "nope"), ("QUANT_PROBE__DATA", "other.csv"));
        var fromSettings = Run(context, "--strategy", "sma-cross");
        Assert.Equal(0, fromSettings.Code);
        Assert.Equal("other.csv", fromSettings.Data);

        var bad = Run(context);
        Assert.Equal(2, bad.Code);
        Assert.Contains("--strategy: unknown strategy 'nope'", bad.Stderr, StringComparison.Ordinal);

        var given = Run(context, "--data", "mine.csv", "--strategy", "sma-cross");
        Assert.Equal("mine.csv", given.Data);
    }
}
