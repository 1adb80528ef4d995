namespace Trading.Core.Strategies;

/// <summary>
/// A strategy's log. Core stays free of logging frameworks: the host adapts this to Microsoft.Extensions.Logging
/// (live) or discards it (optimizer). Messages must not contain secrets.
/// </summary>
public interface IStrategyLogger
{
    bool IsEnabled(StrategyLogLevel level);

    void Log(StrategyLogLevel level, string message);
}
