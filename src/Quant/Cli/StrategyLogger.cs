using Microsoft.Extensions.Logging;
using Trading.Core.Strategies;

namespace Quant.Cli;

/// <summary>A strategy's log (<see cref="IStrategyLogger"/>) written to a Microsoft.Extensions.Logging logger.</summary>
internal sealed class StrategyLogger(ILogger logger) : IStrategyLogger
{
    public bool IsEnabled(StrategyLogLevel level) => logger.IsEnabled(Map(level));

    public void Log(StrategyLogLevel level, string message)
    {
        if (logger.IsEnabled(Map(level)))
        {
            // A constant template, so that braces in the strategy's text are not taken for placeholders.
            logger.Log(Map(level), "{Message}", message);
        }
    }

    private static LogLevel Map(StrategyLogLevel level) => level switch
    {
        StrategyLogLevel.Debug => LogLevel.Debug,
        StrategyLogLevel.Information => LogLevel.Information,
        StrategyLogLevel.Warning => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}
