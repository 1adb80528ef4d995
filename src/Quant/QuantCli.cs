using System.CommandLine;
using Quant.Cli;
using Trading.Core.Strategies;

namespace Quant;

/// <summary>
/// Builds the <c>quant</c> command tree and runs it. Every command is created by a static factory in Commands/ and
/// added here. Errors become one line on stderr and an exit code (<see cref="ExitCodes"/>); a stack trace only with
/// <c>--verbose</c>.
/// </summary>
internal static class QuantCli
{
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var output = stdout ?? Console.Out;
        var errors = stderr ?? Console.Error;
        var verbose = args.Contains("--verbose");
        var root = new RootCommand("Quant: backtest, optimise and trade crypto strategies.");
        root.Subcommands.Add(Commands.BacktestCommand.Create());
        root.Subcommands.Add(Commands.SimCommand.Create());
        try
        {
            var parse = root.Parse(args);
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = errors, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Map(e) is { } code)
        {
            errors.WriteLine($"quant: {e.Message}");
            if (verbose)
            {
                errors.WriteLine(e);
            }

            return code;
        }
    }

    private static int? Map(Exception e) => e switch
    {
        CliException c => c.ExitCode,
        StrategyParameterException or StrategyLoadException => ExitCodes.Usage,
        Trading.Core.Data.CandleDataException => ExitCodes.Data,
        OperationCanceledException => ExitCodes.Canceled,
        _ => ExitCodes.Failure,
    };
}
