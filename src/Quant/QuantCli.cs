using System.CommandLine;

namespace Quant;

/// <summary>Builds the <c>quant</c> command tree and runs it. Exit codes: 0 ok, 1 failure, 2 usage, 3 data.</summary>
internal static class QuantCli
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("Quant: backtest, optimise and trade crypto strategies.");
        return root.Parse(args).Invoke();
    }
}
