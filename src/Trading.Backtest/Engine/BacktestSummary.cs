using Trading.Backtest.Metrics;

namespace Trading.Backtest.Engine;

/// <summary>
/// What <see cref="BacktestEngine.Summarize(ReadOnlySpan{Trading.Core.Market.Candle}, Trading.Core.Strategies.IStrategy, BacktestOptions, int)"/>
/// keeps of a run: the same values as the <see cref="Results.BacktestResult"/> that <see cref="BacktestEngine.Run(ReadOnlySpan{Trading.Core.Market.Candle}, Trading.Core.Strategies.StrategyDescriptor, Trading.Core.Strategies.ParameterSet, BacktestOptions)"/>
/// returns for the same inputs (metrics, final equity, fill count, the order-list hash, how many orders were
/// rejected or left open), without the lists, the curves and the result object an optimizer run does not use.
/// </summary>
public readonly record struct BacktestSummary(
    BacktestMetrics Metrics,
    decimal FinalEquity,
    int FillCount,
    int RejectedOrderCount,
    int OpenOrderCount,
    string OrderListHash)
{
    /// <summary>Closed trades plus the open one, if any (<see cref="BacktestMetrics.Trades"/> + <see cref="BacktestMetrics.OpenTrades"/>).</summary>
    public int TradeCount => Metrics.Trades + Metrics.OpenTrades;
}
