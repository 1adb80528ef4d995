namespace Quant.Cli;

/// <summary>The process exit codes of every <c>quant</c> command.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and failed (e.g. a live session ended on an error).</summary>
    public const int Failure = 1;

    /// <summary>Bad command line: unknown flag or strategy, bad parameter value, inconsistent options.</summary>
    public const int Usage = 2;

    /// <summary>Bad or missing input data.</summary>
    public const int Data = 3;

    /// <summary>Interrupted by Ctrl-C.</summary>
    public const int Canceled = 130;
}
