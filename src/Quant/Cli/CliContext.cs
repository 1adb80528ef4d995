namespace Quant.Cli;

/// <summary>
/// What every command factory receives: the settings that supply option defaults. Created once per
/// <see cref="QuantCli.Run(string[], TextWriter?, TextWriter?, CliContext?)"/>; tests pass their own.
/// </summary>
internal sealed class CliContext(QuantSettings settings)
{
    public QuantSettings Settings { get; } = settings;

    /// <summary>The real process: <c>appsettings.json</c> next to the executable and the environment.</summary>
    public static CliContext FromProcess() => new(QuantSettings.FromProcess());
}
