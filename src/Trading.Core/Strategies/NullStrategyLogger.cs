namespace Trading.Core.Strategies;

/// <summary>Discards everything; used where nobody reads a strategy's log (optimizer runs, benchmarks).</summary>
public sealed class NullStrategyLogger : IStrategyLogger
{
    public static NullStrategyLogger Instance { get; } = new();

    private NullStrategyLogger()
    {
    }

    public bool IsEnabled(StrategyLogLevel level) => false;

    public void Log(StrategyLogLevel level, string message)
    {
    }
}
