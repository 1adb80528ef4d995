using System.Text.RegularExpressions;

namespace Quant.Tests;

/// <summary>Parse errors in words (not CLR type names) and <c>quant --version</c>.</summary>
public sealed class PolishTests
{
    [Theory]
    [InlineData("--fee: expected a number such as 0.5, got 'abc'", "backtest", "--fee", "abc")]
    [InlineData("--cash: expected a number such as 0.5, got 'x'", "backtest", "--cash", "x")]
    [InlineData("--threads: expected a whole number such as 10, got 'x'", "optimize", "--threads", "x")]
    [InlineData("--port: expected a whole number such as 10, got 'x'", "sim", "--port", "x")]
    [InlineData("--speed: expected a number such as 0.5, got 'fast'", "sim", "--speed", "fast")]
    public void A_value_that_does_not_parse_is_named_in_words(string expected, params string[] args)
    {
        var r = CliRunner.Run(args);
        r.AssertUsageError(expected);
        Assert.DoesNotContain("System.", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_the_package_version_and_the_commit()
    {
        var r = CliRunner.Run("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(new Regex(@"^quant 0\.1\.0 \(commit [0-9a-f]{40}\)\n$"), r.Stdout);
    }

    [Theory]
    [InlineData("backtest")]
    [InlineData("strategies")]
    [InlineData("data")]
    [InlineData("sim")]
    [InlineData("optimize")]
    public void Option_help_starts_with_a_capital_and_has_no_final_period(string name)
    {
        var root = QuantCli.Build(new Quant.Cli.CliContext(Quant.Cli.QuantSettings.None));
        var pending = new Stack<System.CommandLine.Command>([root.Subcommands.Single(c => c.Name == name)]);
        var bad = new List<string>();
        while (pending.TryPop(out var command))
        {
            foreach (var sub in command.Subcommands)
            {
                pending.Push(sub);
            }

            foreach (var option in command.Options)
            {
                var d = option.Description ?? string.Empty;
                if (d.Length == 0 || !char.IsUpper(d[0]) || d.EndsWith('.'))
                {
                    bad.Add($"{command.Name} {option.Name}: '{d}'");
                }
            }
        }

        Assert.Empty(bad);
    }
}
