using Trading.Backtest.Engine;
using Trading.Core.Market;
using Trading.Core.Strategies;

namespace Trading.Optimizer.Backtesting;

/// <summary>
/// One optimizer run: a fresh strategy instance from the descriptor, replayed by <see cref="BacktestEngine"/> over
/// candles shared read-only by every worker. The equity curve is not recorded (<see cref="BacktestOptions.RecordEquity"/>
/// false): the metrics do not depend on it, and four arrays of one double per candle per run would dominate a
/// sweep's allocation; nor are the fills (<see cref="BacktestOptions.RecordFills"/> false): a row reports their count
/// and order-list hash only; nor the trade records (<see cref="BacktestOptions.RecordTrades"/> false): the metrics
/// come from the trade statistics the ledger accumulates either way. Each run's declared warm-up (<see cref="StrategyDescriptor.WarmUpCandles"/>, which varies with
/// the parameters) is taken from the candles before <c>firstTradable</c> when there are enough, else from the first
/// candles of the range, exactly as <c>quant backtest</c> does, so a row reruns to the same metrics. Thread-safe; a
/// pure function of the parameters.
/// </summary>
public sealed class BacktestEvaluator
{
    private readonly ReadOnlyMemory<Candle> _candles;
    private readonly StrategyDescriptor _strategy;
    private readonly BacktestOptions _options;
    private readonly int _firstTradable;

    /// <param name="candles">History for the warm-up, then the period to optimise over.</param>
    /// <param name="firstTradable">Index of the first candle of the period (0: no history before it).</param>
    public BacktestEvaluator(ReadOnlyMemory<Candle> candles, StrategyDescriptor strategy, BacktestOptions options, int firstTradable = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstTradable);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(firstTradable, candles.Length);
        if (candles.IsEmpty)
        {
            throw new ArgumentException("no candles to optimise over", nameof(candles));
        }

        _candles = candles;
        _strategy = strategy;
        // Regular data (the usual case) has one interval for every window: found once here, not once per run.
        _options = options with { RecordEquity = false, RecordFills = false, RecordTrades = false, IntervalMs = options.IntervalMs ?? BacktestEngine.RegularInterval(candles.Span) };
        _firstTradable = firstTradable;
    }

    /// <param name="parameters">
    /// A complete, validated set (every point of a <see cref="Space.ParameterSpace"/> is); anything else is completed and
    /// validated first, as <c>quant backtest</c> does.
    /// </param>
    public RunMetrics Evaluate(ParameterSet parameters)
    {
        // Completed (a no-op check for a space's points) and the warm-up resolved once, for both the window and the
        // run: BacktestEngine.Run would check and resolve them again.
        var complete = ParameterCompletion.Complete(_strategy, parameters);
        var warmUp = _options.WarmUpCandles ?? WarmUp(complete);
        var start = BacktestWindow.Start(_firstTradable, warmUp);
        var summary = BacktestEngine.Summarize(_candles.Span[start..], _strategy.Create(complete), _options, warmUp);
        return new RunMetrics(summary.Metrics, summary.OrderListHash, summary.FillCount, summary.RejectedOrderCount);
    }

    /// <summary>The declared warm-up of a complete set: <see cref="StrategyDescriptor.WarmUpCandles"/> without completing it again.</summary>
    private int WarmUp(ParameterSet complete)
    {
        if (_strategy.WarmUp is not { } warmUp)
        {
            return 0;
        }

        var candles = warmUp(complete);
        return candles >= 0 ? candles : _strategy.WarmUpCandles(complete); // the descriptor throws its own error
    }
}
