using System.Text.RegularExpressions;

namespace Quant.Tests;

/// <summary>
/// One style across every command's <c>--help</c> and its parse errors: value placeholders in capitals (choices in lower
/// case, joined by <c>|</c>), option help capitalised without a final period, and a switch given a value named as a
/// switch rather than as an "unrecognized argument".
/// </summary>
public sealed partial class CliHelpStyleTests
{
    public static TheoryData<string[]> Commands() =>
    [
        ["backtest"], ["strategies"], ["data", "info"], ["data", "validate"], ["data", "download"], ["sim"], ["live"],
        ["optimize"], ["journal"],
    ];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_value_placeholder_is_in_capitals_or_lists_lower_case_choices(string[] command)
    {
        var r = CliRunner.Run([.. command, "--help"]);
        Assert.Equal(0, r.ExitCode);
        var options = r.Stdout.Split('\n').Where(l => l.StartsWith("  -", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(options);
        var bad = options
            .SelectMany(l => Placeholder().Matches(l.Split("  ", 3, StringSplitOptions.RemoveEmptyEntries)[0]).Select(m => m.Groups[1].Value))
            .Where(p => !Capitals().IsMatch(p) && !Choices().IsMatch(p))
            .ToList();
        Assert.True(bad.Count == 0, $"{string.Join(' ', command)}: placeholders {string.Join(", ", bad)}");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Option_help_starts_with_a_capital_and_has_no_final_period(string[] command)
    {
        var root = QuantCli.Build(new Quant.Cli.CliContext(Quant.Cli.QuantSettings.None));
        System.CommandLine.Command c = root;
        foreach (var name in command)
        {
            c = c.Subcommands.Single(s => s.Name == name);
        }

        var bad = c.Options
            .Where(o => o.Description is not { Length: > 0 } d || !char.IsUpper(d[0]) || d.EndsWith('.'))
            .Select(o => $"{o.Name}: '{o.Description}'")
            .ToList();
        Assert.Empty(bad);
    }

    [Theory]
    [InlineData("--close-at-end: a switch, expected no value (or true or false), got 'maybe'", "backtest", "--close-at-end", "maybe")]
    [InlineData("--trade-on-close: a switch, expected no value (or true or false), got 'maybe'", "backtest", "--trade-on-close=maybe")]
    [InlineData("--json: a switch, expected no value (or true or false), got 'yes'", "optimize", "--json", "yes")]
    [InlineData("--verbose: a switch, expected no value (or true or false), got 'x'", "data", "validate", "--verbose", "x")]
    public void A_switch_given_a_value_says_it_is_a_switch(string expected, params string[] args)
    {
        var r = CliRunner.Run(args);
        r.AssertUsageError(expected);
        Assert.DoesNotContain("unrecognized", r.Stderr, StringComparison.Ordinal);
    }

    // Values a command checks itself (not the parser) read the same: the command first, then where to look.
    [Theory]
    [InlineData("live: --duration: expected a positive duration such as 30s, 5m or 2h, got 'x' (see 'quant live --help')", "live", "--duration", "x")]
    [InlineData("live: --unknown-orders: expected adopt or cancel, got 'z' (see 'quant live --help')", "live", "--unknown-orders", "z")]
    [InlineData("live: --loop-backend: expected auto, io_uring, epoll or runtime, got 'kqueue' (see 'quant live --help')", "live", "--loop-backend", "kqueue")]
    [InlineData("optimize: --grid fast=a:b:c: 'a' is not a number (see 'quant optimize --help')", "optimize", "--grid", "fast=a:b:c")]
    public void A_value_the_command_refuses_names_the_command_and_its_help(string expected, params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("quant: " + expected + "\n", r.Stderr);
    }

    [Fact]
    public void A_stray_argument_after_a_value_option_is_still_unrecognized()
    {
        CliRunner.Run("backtest", "--cash", "100", "extra").AssertUsageError("backtest: unrecognized command or argument 'extra'");
    }

    [Theory]
    [InlineData("--max-position: expected a number such as 0.5, got 'x'", "live", "--max-position", "x")]
    [InlineData("--max-open-orders: expected a whole number such as 10, got '1.5'", "live", "--max-open-orders", "1.5")]
    [InlineData("--from: expected an ISO-8601 date or date-time such as 2024-03-01", "backtest", "--from", "2024-13-01")]
    [InlineData("--port: expected a whole number such as 10, got '99999999999'", "sim", "--port", "99999999999")]
    public void Nullable_dates_and_out_of_range_values_are_named_in_words(string expected, params string[] args)
    {
        var r = CliRunner.Run(args);
        r.AssertUsageError(expected);
        Assert.DoesNotContain("System.", r.Stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex("<([^>]*)>")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[A-Z][A-Z0-9_=,.-]*$")]
    private static partial Regex Capitals();

    [GeneratedRegex(@"^[a-z0-9-]+(\|[a-z0-9-]+)+$")]
    private static partial Regex Choices();
}
