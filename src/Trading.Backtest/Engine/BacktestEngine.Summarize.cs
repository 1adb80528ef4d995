using Trading.Backtest.Metrics;
using Trading.Core.Execution;
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
        // Mirrors Run step for step, through the same Replay (the same statistics fed in the same order, so the same
        // bits, and whatever makes Run's per-candle loop faster makes this one faster); only what Run builds for its
        // result object is left out. A loop of its own (no curves, no flag, the last candle after the loop) measured
        // within 0-2 % of Run's in a same-process A/B, so it is not worth a second copy to keep in step.
        if (candles.IsEmpty)
        {
            throw new ArgumentException("no candles to replay", nameof(candles));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(warmUpCandles);
        var warmUp = warmUpCandles;
        var interval = options.IntervalMs is { } known && candles.Length >= 2 ? known : Interval(candles);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1, nameof(options));
        var run = new BacktestRun(strategy, options, warmUp) { IntervalMs = interval };
        var last = candles.Length - 1;
        var statsFrom = options.WarmUpInStats ? 0 : Math.Min(warmUp, candles.Length);
        var statsStart = statsFrom <= last ? candles[statsFrom].OpenTime : candles[last].OpenTime + interval;
        var stats = new EquityStatistics((double)options.InitialCash, statsStart);

        run.Start(candles[0]);
        var curves = new Curves([], [], [], []);
        Replay(candles[..statsFrom], 0, last, run, ref stats, interval, curves, inStats: false);
        Replay(candles[statsFrom..], statsFrom, last, run, ref stats, interval, curves, inStats: true);

        ref readonly var lastCandle = ref candles[last];
        run.Account.MarkAt(FillModel.ToDecimal(lastCandle.Close));
        var finalEquity = run.Account.Equity;
        var metrics = MetricsCalculator.Compute(
            stats,
            run.Ledger.Statistics,
            run.Ledger.HasOpenTrade ? 1 : 0,
            (double)options.InitialCash,
            (double)finalEquity,
            (double)run.Account.FeesPaid,
            statsStart,
            lastCandle.OpenTime + interval,
            interval,
            statsFrom <= last ? candles[statsFrom].Open : lastCandle.Close,
            lastCandle.Close,
            options.Returns,
            candles.Length,
            Math.Min(warmUp, candles.Length));

        var summary = new BacktestSummary(metrics, finalEquity, run.FillCount, run.Rejected.Count, run.OpenOrders.Length, run.FinishOrderListHash());
        run.Release();
        return summary;
    }
}
