namespace Quant.Tests;

/// <summary>Parse errors and bad options: one line on stderr, exit 2, never the library's help dump.</summary>
public sealed class CommandLineErrorTests
{
    [Fact]
    public void Unknown_flag_is_one_line_naming_it()
    {
        var r = CliRunner.Run("strategies", "--jsn");
        r.AssertUsageError("'--jsn'");
        Assert.Contains("quant strategies --help", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_command_is_a_usage_error()
    {
        CliRunner.Run("backtestt").AssertUsageError("'backtestt'");
    }

    [Fact]
    public void Missing_command_is_a_usage_error()
    {
        CliRunner.Run().AssertUsageError("required command was not provided");
    }

    [Fact]
    public void Option_value_for_a_flag_is_a_usage_error()
    {
        CliRunner.Run("strategies", "--json", "yes-please").AssertUsageError("yes-please");
    }

    [Fact]
    public void Missing_strategy_assembly_names_the_flag()
    {
        var r = CliRunner.Run("strategies", "--strategy-assembly", "no/such/Strategies.dll");
        r.AssertUsageError("--strategy-assembly: strategy assembly not found: no/such/Strategies.dll");
    }

    [Fact]
    public void Not_an_assembly_names_the_flag_and_verbose_adds_the_stack_trace()
    {
        var path = Path.Combine(Path.GetTempPath(), $"quant-not-an-assembly-{Guid.NewGuid():N}.dll");
        File.WriteAllText(path, "not a PE file");
        try
        {
            var r = CliRunner.Run("strategies", "--strategy-assembly", path);
            r.AssertUsageError("not a loadable .NET assembly");

            var verbose = CliRunner.Run("strategies", "--strategy-assembly", path, "--verbose");
            Assert.Equal(2, verbose.ExitCode);
            Assert.True(verbose.ErrorLines.Length > 2, verbose.Stderr);
            Assert.Contains("   at ", verbose.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Help_goes_to_stdout_and_exits_0()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("strategies", r.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, r.Stderr);
    }
}
