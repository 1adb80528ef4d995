using Trading.Backtest.Engine;
using Trading.Core.Market;
using Trading.Core.Strategies;

namespace Trading.Optimizer.Backtesting;

/// <summary>
/// One optimizer run: a fresh strategy instance from the descriptor, replayed by <see cref="BacktestEngine"/> over
/// candles shared read-only by every worker. The equity curve is not recorded (<see cref="BacktestOptions.RecordEquity"/>
/// false): the metrics do not depend on it, and four arrays of one double per candle per run would dominate a
/// sweep's allocation. Thread-safe; a pure function of the parameters.
/// </summary>
public sealed class BacktestEvaluator
{
    private readonly ReadOnlyMemory<Candle> _candles;
    private readonly StrategyDescriptor _strategy;
    private readonly BacktestOptions _options;

    public BacktestEvaluator(ReadOnlyMemory<Candle> candles, StrategyDescriptor strategy, BacktestOptions options)
    {
        if (candles.IsEmpty)
        {
            throw new ArgumentException("no candles to optimise over", nameof(candles));
        }

        _candles = candles;
        _strategy = strategy;
        _options = options with { RecordEquity = false };
    }

    /// <param name="parameters">A complete, validated set (every point of a <see cref="Space.ParameterSpace"/> is).</param>
    public RunMetrics Evaluate(ParameterSet parameters)
    {
        var result = BacktestEngine.Run(_candles.Span, _strategy.Create(parameters), _options);
        return new RunMetrics(result.Metrics, result.OrderListHash, result.Fills.Count, result.RejectedOrders.Count);
    }
}
