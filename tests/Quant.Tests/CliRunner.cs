using System.Collections;
using Quant.Cli;

namespace Quant.Tests;

/// <summary>Runs the <c>quant</c> command in-process and captures what it printed.</summary>
internal static class CliRunner
{
    /// <summary>Runs with no settings file and no environment settings, so that the machine cannot change the outcome.</summary>
    public static CliResult Run(params string[] args) => Run(new CliContext(QuantSettings.None), args);

    public static CliResult Run(CliContext context, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = QuantCli.Run(args, stdout, stderr, context);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public static CliContext WithEnvironment(params (string Name, string Value)[] variables)
    {
        var env = new Hashtable();
        foreach (var (name, value) in variables)
        {
            env[name] = value;
        }

        return new CliContext(new QuantSettings(string.Empty, env));
    }
}
