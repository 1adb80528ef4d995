using Quant.Cli;

namespace Quant.Tests;

/// <summary>
/// <c>quant X ...</c> builds only command X's subtree (start-up, docs/commands.md): the table of names must agree with
/// the factories, and what a user sees — help and parse errors below X — must be the same as on the whole tree.
/// </summary>
public sealed class CliStartupTests
{
    private static CliContext Context() => new(QuantSettings.None);

    public static TheoryData<string[]> Invocations() =>
    [
        ["backtest", "--help"], ["strategies", "--help"], ["data", "--help"], ["data", "info", "--help"],
        ["data", "validate", "--help"], ["data", "download", "--help"], ["sim", "--help"], ["live", "--help"],
        ["optimize", "--help"], ["journal", "--help"], ["journal", "show", "--help"],
        ["backtest", "--fe", "0.1"], ["backtest", "--fee", "abc"], ["backtest", "--close-at-end", "maybe"],
        ["backtest", "--from", "2024-02-01", "--to", "2024-01-01"], ["optimize", "--json", "yes"], ["data"],
        ["data", "bogus"], ["journal"], ["live", "--verbose", "x"],
    ];

    [Fact]
    public void The_command_names_are_the_commands_the_whole_tree_has_in_order()
    {
        var root = QuantCli.Build(Context());
        Assert.Equal(QuantCli.CommandNames, root.Subcommands.Select(c => c.Name));
    }

    [Theory]
    [InlineData("backtest")]
    [InlineData("data")]
    [InlineData("journal")]
    public void A_named_command_builds_only_that_command(string name)
    {
        var root = QuantCli.Build(Context(), [name, "--help"]);
        Assert.Equal([name], root.Subcommands.Select(c => c.Name));
        Assert.Equal(QuantCli.Build(Context()).Options.Select(o => o.Name), root.Options.Select(o => o.Name));
    }

    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("--version")]
    [InlineData("backtst")]
    [InlineData("--verbose", "backtest")]
    public void Anything_else_builds_the_whole_tree(params string[] args)
    {
        Assert.Equal(QuantCli.CommandNames, QuantCli.Build(Context(), args).Subcommands.Select(c => c.Name));
    }

    [Theory]
    [MemberData(nameof(Invocations))]
    public void Help_and_errors_below_a_command_read_as_on_the_whole_tree(string[] args)
    {
        var whole = Run(QuantCli.Build(Context()), args);
        var one = Run(QuantCli.Build(Context(), args), args);
        Assert.Equal(whole, one);
    }

    private static (int Code, string Stdout, string Stderr) Run(System.CommandLine.RootCommand root, string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = QuantCli.RunRoot(root, args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
