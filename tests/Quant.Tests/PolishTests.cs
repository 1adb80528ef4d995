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
}
