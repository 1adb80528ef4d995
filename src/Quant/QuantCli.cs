using System.CommandLine;
using Quant.Cli;
using Quant.Commands;
using Trading.Core.Data;
using Trading.Core.Strategies;

namespace Quant;

/// <summary>
/// Builds the <c>quant</c> command tree and runs it. Every command is created by a static factory in Commands/
/// (<c>XCommand.Create(CliContext)</c>) listed in <see cref="Factories"/>, its name at the same index in
/// <see cref="CommandNames"/>. Errors become one line on stderr, <c>quant: message</c>, and an exit code
/// (<see cref="ExitCodes"/>); a stack trace only with <c>--verbose</c>.
/// Parse errors (unknown flag, bad value, missing command) are reported the same way, exit 2, never with the library's
/// help dump. Commands write to <c>parse.InvocationConfiguration.Output</c>, never to <see cref="Console"/>, so that
/// tests can run them in-process.
/// </summary>
internal static class QuantCli
{
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, CliContext? context = null)
    {
        var errors = stderr ?? Console.Error;
        RootCommand root;
        try
        {
            root = Build(context ?? CliContext.FromProcess(), args);
        }
        catch (Exception e) when (Map(e) is { } code)
        {
            return Report(e, code, errors, args.Contains("--verbose"));
        }

        return RunRoot(root, args, stdout ?? Console.Out, errors);
    }

    /// <summary>Parses and invokes <paramref name="args"/> on <paramref name="root"/> with the error handling above.</summary>
    internal static int RunRoot(RootCommand root, string[] args, TextWriter output, TextWriter errors)
    {
        var verbose = args.Contains("--verbose");
        ParseResult? parse = null;
        try
        {
            parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                errors.WriteLine($"quant: {ParseErrors.OneLine(parse)}");
                return ExitCodes.Usage;
            }

            // No ProcessTerminationTimeout: System.CommandLine must not install its own Ctrl-C handler; long-running
            // commands get Ctrl-C through the generic host (QuantHost), short ones simply end with the process.
            return parse.Invoke(new InvocationConfiguration
            {
                Output = output,
                Error = errors,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception e) when (Map(e) is { } code)
        {
            // A command's own check of an option's value reads like a parse error: the command, then where to look.
            if (code == ExitCodes.Usage && parse is not null && e.Message.StartsWith("--", StringComparison.Ordinal)
                && ParseErrors.CommandPath(parse.CommandResult.Command) is { Length: > 0 } path)
            {
                return Report(e, code, errors, verbose, $"{path}: {e.Message} (see 'quant {path} --help')");
            }

            return Report(e, code, errors, verbose);
        }
    }

    private static int Report(Exception e, int code, TextWriter errors, bool verbose, string? message = null)
    {
        errors.WriteLine($"quant: {OneLine(message ?? e.Message)}");
        if (verbose)
        {
            errors.WriteLine(e);
        }

        return code;
    }

    /// <summary>The whole command tree. Commands are built on every run (cheap: no reflection, no I/O until invoked).</summary>
    internal static RootCommand Build(CliContext context) => Build(context, []);

    /// <summary>
    /// The command tree for <paramref name="args"/>: when the first argument names a command exactly, only that
    /// command's subtree is built under the root (start-up: the other commands' options, defaults and parsers are never
    /// created — docs/commands.md, "Start-up"); otherwise (no command, a typo, <c>--help</c>, <c>--version</c>) the whole
    /// tree, so that the root's help lists every command and errors read as before. The root's own options
    /// (<c>--verbose</c>, <c>--help</c>, <c>--version</c>) are there either way, so parsing and help below that command
    /// are the same as on the whole tree.
    /// </summary>
    internal static RootCommand Build(CliContext context, string[] args)
    {
        var root = new RootCommand("Quant: backtest, optimise and trade crypto strategies.");
        root.Options.Add(CommonOptions.Verbose());
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new VersionAction();
        }

        var only = args.Length > 0 ? Array.IndexOf(CommandNames, args[0]) : -1;
        for (var i = 0; i < Factories.Length; i++)
        {
            if (only < 0 || i == only)
            {
                root.Subcommands.Add(Factories[i](context));
            }
        }

        HelpStyle.Apply(root);
        return root;
    }

    // One entry per command, in the order `quant --help` lists them; CommandNames[i] is the name Factories[i] builds
    // (CliStartupTests checks the two agree).
    internal static readonly string[] CommandNames = ["backtest", "strategies", "data", "sim", "live", "optimize", "journal"];

    private static readonly Func<CliContext, Command>[] Factories =
    [
        BacktestCommand.Create,
        StrategiesCommand.Create,
        DataCommand.Create,
        SimCommand.Create,
        LiveCommand.Create,
        OptimizeCommand.Create,
        JournalCommand.Create,
    ];

    private static int? Map(Exception e) => e switch
    {
        CliException c => c.ExitCode,
        StrategyParameterException or StrategyLoadException => ExitCodes.Usage,
        CandleDataException => ExitCodes.Data,
        OperationCanceledException => ExitCodes.Canceled,
        _ => ExitCodes.Failure,
    };

    private static string OneLine(string message) =>
        message.AsSpan().IndexOfAny('\r', '\n') < 0 ? message : message.ReplaceLineEndings(" ");
}
