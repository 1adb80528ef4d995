using Trading.Core.Market;
using Trading.Core.Strategies;

namespace Trading.Backtest.Engine;

/// <summary>
/// The optimizer's entry points: the same replay as <c>Run</c>, summarised into a <see cref="BacktestSummary"/> instead
/// of a full result (no result object, no copies of the open orders, no trade list), so that one run of a sweep
/// allocates only its metrics and its hash besides the strategy.
/// </summary>
public static partial class BacktestEngine
{
    /// <summary>
    /// <see cref="Run(ReadOnlySpan{Candle}, StrategyDescriptor, ParameterSet, BacktestOptions)"/>, summarised: the same
    /// validation and completion of <paramref name="parameters"/>, the same warm-up, the same values.
    /// </summary>
    public static BacktestSummary Summarize(ReadOnlySpan<Candle> candles, StrategyDescriptor descriptor, ParameterSet parameters, BacktestOptions options)
    {
        var complete = ParameterCompletion.Complete(descriptor, parameters);
        var warmUp = options.WarmUpCandles ?? ParameterCompletion.WarmUpCandles(descriptor, complete);
        return Summarize(candles, descriptor.Create(complete), options, warmUp);
    }

    /// <summary>
    /// Replays a fresh strategy instance (strategies keep state) with its first <paramref name="warmUpCandles"/> candles
    /// as warm-up, which the caller has resolved (<see cref="BacktestOptions.WarmUpCandles"/> is not read: a sweep
    /// resolves each parameter set's warm-up once, for the window and for the run). Every value equals what <c>Run</c>
    /// reports for the same strategy, options and warm-up (SummaryTests check it field by field). Trap: the recording
    /// options (<see cref="BacktestOptions.RecordFills"/>, <see cref="BacktestOptions.RecordTrades"/>,
    /// <see cref="BacktestOptions.RecordEquity"/>) change nothing here but still cost their work: turn them off.
    /// </summary>
    public static BacktestSummary Summarize(ReadOnlySpan<Candle> candles, IStrategy strategy, BacktestOptions options, int warmUpCandles)
    {
        // Run's own replay and metrics (ReplayAndMeasure: the same statistics fed in the same order, so the same bits);
        // only what Run builds for its result object is left out. A loop of its own (no curves, no flag, the last candle
        // after the loop) measured within 0-2 % of Run's in a same-process A/B: not worth a second copy to keep in step.
        var run = ReplayAndMeasure(candles, strategy, options, warmUpCandles, new Curves([], [], [], []), out var metrics, out _);
        var finalEquity = run.Account.Equity;
        var summary = new BacktestSummary(metrics, finalEquity, run.FillCount, run.Rejected.Count, run.OpenOrders.Length, run.FinishOrderListHash());
        run.Release();
        return summary;
    }
}
