namespace Quant.Tests;

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>stderr's lines, without the trailing empty one.</summary>
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Asserts a usage error: exit 2, nothing on stdout, exactly one line on stderr, which contains <paramref name="expected"/>.</summary>
    public void AssertUsageError(string expected) => AssertOneLineError(2, expected);

    public void AssertOneLineError(int code, string expected)
    {
        Assert.True(code == ExitCode, $"exit {ExitCode}, expected {code}; stderr: {Stderr}");
        var line = Assert.Single(ErrorLines);
        Assert.StartsWith("quant: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, Stdout);
    }
}
