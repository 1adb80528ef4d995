using System.CommandLine;
using Quant.Cli;
using Quant.Commands;
using Trading.Core.Data;
using Trading.Core.Strategies;

namespace Quant;

/// <summary>
/// Builds the <c>quant</c> command tree and runs it. Every command is created by a static factory in Commands/
/// (<c>XCommand.Create(CliContext)</c>) and added to <see cref="Commands"/>, one line each. Errors become one line on
/// stderr, <c>quant: message</c>, and an exit code (<see cref="ExitCodes"/>); a stack trace only with <c>--verbose</c>.
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
            root = Build(context ?? CliContext.FromProcess());
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

    /// <summary>The command tree. Commands are built on every run (cheap: no reflection, no I/O until invoked).</summary>
    internal static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Quant: backtest, optimise and trade crypto strategies.");
        root.Options.Add(CommonOptions.Verbose());
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new VersionAction();
        }

        foreach (var command in Commands(context))
        {
            root.Subcommands.Add(command);
        }

        HelpStyle.Apply(root);
        return root;
    }

    // One line per command, in the order `quant --help` lists them.
    private static IEnumerable<Command> Commands(CliContext context) =>
    [
        BacktestCommand.Create(context),
        StrategiesCommand.Create(context),
        DataCommand.Create(context),
        SimCommand.Create(context),
        LiveCommand.Create(context),
        OptimizeCommand.Create(context),
        JournalCommand.Create(context),
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
