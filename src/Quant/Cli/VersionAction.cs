using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Quant.Cli;

/// <summary>
/// <c>quant --version</c>: <c>quant 0.1.0 (commit 0123abcd…)</c>, from quant.dll's informational version, which the SDK
/// stamps with the commit it was built from (<c>0.1.0+sha</c>). The library's own action prints the entry assembly's
/// version instead, which is the test host's when run in-process and carries no commit in words.
/// </summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Text);
        return ExitCodes.Ok;
    }

    /// <summary>The line printed; <c>commit unknown</c> when built outside a git repository.</summary>
    public static string Text
    {
        get
        {
            var informational = typeof(VersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0
                ? $"quant {informational} (commit unknown)"
                : $"quant {informational[..plus]} (commit {informational[(plus + 1)..]})";
        }
    }
}
