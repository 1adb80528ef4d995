namespace Trading.Core.Strategies;

public enum StrategyLogLevel : byte
{
    Debug,
    Information,
    Warning,
    Error,
}
