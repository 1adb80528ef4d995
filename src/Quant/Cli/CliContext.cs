namespace Quant.Cli;

/// <summary>
/// What every command factory receives: the settings that supply option defaults. Created once per
/// <see cref="QuantCli.Run(string[], TextWriter?, TextWriter?, CliContext?)"/>; tests pass their own.
/// </summary>
internal sealed class CliContext(QuantSettings settings)
{
    public QuantSettings Settings { get; } = settings;

    /// <summary>
    /// Where <see cref="DataPaths"/> looks for the repository when a relative <c>--data</c> is not in the current
    /// folder: the executable's folder; tests point it elsewhere to run as an installed tool would.
    /// </summary>
    public string ExecutableDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>The real process: <c>appsettings.json</c> next to the executable and the environment.</summary>
    public static CliContext FromProcess() => new(QuantSettings.FromProcess());
}
