namespace Quant.Cli;

/// <summary>
/// An error to report as one line on stderr with <see cref="ExitCode"/>. Commands throw it (or let a known domain
/// exception through, which <see cref="QuantCli"/> maps) instead of printing and exiting themselves.
/// </summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException BadData(string message) => new(ExitCodes.Data, message);
}
