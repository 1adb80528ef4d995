using Trading.Backtest.Metrics;
using Trading.Backtest.Results;
using Trading.Core.Execution;
using Trading.Core.Market;
using Trading.Core.Strategies;

namespace Trading.Backtest.Engine;

/// <summary>
/// Replays closed candles, in time order, on the calling thread, through one strategy (see <see cref="BacktestRun"/>
/// for the order flow and Trading.Core's <see cref="FillModel"/> for where orders fill). The same inputs give the same result,
/// byte for byte: no clocks, no randomness, no shared state between runs (a thread keeps its last run's emptied
/// working containers for the next: see <see cref="RunScratch"/>). Allocation-free per candle in steady state; per
/// order and per fill too (order slots are reused, events are built only for a strategy that implements
/// OnOrderEvent): what a run keeps for its result (fills, trades, rejected orders with their reasons, as far as
/// <see cref="BacktestOptions"/> asks for them) is all it allocates, besides the strategy.
/// </summary>
public static partial class BacktestEngine
{
    /// <summary>
    /// Runs <paramref name="descriptor"/> with <paramref name="parameters"/> (validated, defaults filled in). The first
    /// <see cref="StrategyDescriptor.WarmUpCandles"/> candles (or <see cref="BacktestOptions.WarmUpCandles"/> when set)
    /// are its warm-up: pass history before the period of interest in front of it, as the CLI does from the data
    /// before <c>--from</c>.
    /// </summary>
    public static BacktestResult Run(ReadOnlySpan<Candle> candles, StrategyDescriptor descriptor, ParameterSet parameters, BacktestOptions options)
    {
        var complete = ParameterCompletion.Complete(descriptor, parameters);
        var warmUp = options.WarmUpCandles ?? ParameterCompletion.WarmUpCandles(descriptor, complete);
        return Run(candles, descriptor.Create(complete), options, warmUp, descriptor.Name, complete);
    }

    /// <summary>
    /// Runs a strategy instance (which must be fresh: strategies keep state) over <paramref name="candles"/>, the first
    /// <see cref="BacktestOptions.WarmUpCandles"/> of them (default none) as warm-up.
    /// </summary>
    public static BacktestResult Run(ReadOnlySpan<Candle> candles, IStrategy strategy, BacktestOptions options) =>
        Run(candles, strategy, options, options.WarmUpCandles ?? 0, "", ParameterSet.Empty);

    /// <summary>
    /// The replay. Warm-up candles (orders refused) reach the strategy first; unless
    /// <see cref="BacktestOptions.WarmUpInStats"/>, the statistics start at the first candle after them: the equity
    /// curve's returns, exposure, the CAGR period and the buy &amp; hold start. <see cref="BacktestMetrics.Candles"/>
    /// counts every candle replayed; the recorded curves keep a point for every candle too.
    /// </summary>
    private static BacktestResult Run(ReadOnlySpan<Candle> candles, IStrategy strategy, BacktestOptions options, int warmUp, string name, ParameterSet parameters)
    {
        var record = options.RecordEquity;
        var curves = new Curves(record ? new long[candles.Length] : [], record ? new double[candles.Length] : [],
            record ? new double[candles.Length] : [], record ? new double[candles.Length] : []);
        var run = ReplayAndMeasure(candles, strategy, options, warmUp, curves, out var metrics, out var mark);
        IReadOnlyList<TradeRecord> trades = [];
        if (options.RecordTrades)
        {
            trades = run.Ledger.TakeTrades(run.Ledger.OpenTrade(mark));
        }

        var result = new BacktestResult
        {
            Strategy = name,
            Parameters = parameters,
            Metrics = metrics,
            Trades = trades,
            Fills = run.Fills,
            FillCount = run.FillCount,
            OpenOrders = run.OpenOrdersCopy(),
            RejectedOrders = run.Rejected,
            Times = curves.Times,
            Equity = curves.Equity,
            Cash = curves.Cash,
            PositionQuantity = curves.Position,
            OrderListHash = run.FinishOrderListHash(),
            FinalEquity = run.Account.Equity,
        };
        run.Release();
        return result;
    }

    /// <summary>
    /// Run's and Summarize's shared body: validates, replays every candle through a new <see cref="BacktestRun"/> (the
    /// warm-up outside the statistics, then the rest; <paramref name="curves"/> recorded when not empty), marks the account
    /// at the last close (<paramref name="mark"/>) and computes the metrics. The caller builds its result from the run,
    /// then releases it.
    /// </summary>
    private static BacktestRun ReplayAndMeasure(ReadOnlySpan<Candle> candles, IStrategy strategy, BacktestOptions options, int warmUp,
        Curves curves, out BacktestMetrics metrics, out decimal mark)
    {
        if (candles.IsEmpty)
        {
            throw new ArgumentException("no candles to replay", nameof(candles));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(warmUp);
        var interval = options.IntervalMs is { } known && candles.Length >= 2 ? known : Interval(candles);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1, nameof(options));
        var run = new BacktestRun(strategy, options, warmUp) { IntervalMs = interval };
        var last = candles.Length - 1;

        // With every candle warm-up the statistics start (and stay empty) at the last close.
        var statsFrom = options.WarmUpInStats ? 0 : Math.Min(warmUp, candles.Length);
        var statsStart = statsFrom <= last ? candles[statsFrom].OpenTime : candles[last].OpenTime + interval;
        var stats = new EquityStatistics((double)options.InitialCash, statsStart);

        run.Start(candles[0]);
        Replay(candles[..statsFrom], 0, last, run, ref stats, interval, curves, inStats: false);
        Replay(candles[statsFrom..], statsFrom, last, run, ref stats, interval, curves, inStats: true);

        ref readonly var lastCandle = ref candles[last];
        mark = FillModel.ToDecimal(lastCandle.Close);
        run.Account.MarkAt(mark);
        metrics = MetricsCalculator.Compute(
            stats,
            run.Ledger.Statistics,
            run.Ledger.HasOpenTrade ? 1 : 0,
            (double)options.InitialCash,
            (double)run.Account.Equity,
            (double)run.Account.FeesPaid,
            statsStart,
            lastCandle.OpenTime + interval,
            interval,
            statsFrom <= last ? candles[statsFrom].Open : lastCandle.Close,
            lastCandle.Close,
            options.Returns,
            candles.Length,
            Math.Min(warmUp, candles.Length));
        return run;
    }

    /// <summary>
    /// The replay loop over <paramref name="candles"/> (the candles from index <paramref name="offset"/> of the run's, whose last is <paramref name="last"/>):
    /// each candle to the run, the last one's <see cref="BacktestRun.Finish"/>, the equity at its close into the statistics
    /// (when <paramref name="inStats"/>) and the curves (when recorded). Kept small and apart from the set-up and the
    /// result so that the JIT keeps its state in registers; candles are read in place (no copies), the step and the
    /// statistics are inlined. Called twice: for the warm-up outside the statistics, then for the rest.
    /// </summary>
    private static void Replay(ReadOnlySpan<Candle> candles, int offset, int last, BacktestRun run, ref EquityStatistics stats, long interval, Curves curves, bool inStats)
    {
        if (candles.IsEmpty)
        {
            return;
        }

        var s = stats;
        var record = curves.Times.Length != 0;
        var finishAt = last - offset;
        for (var i = 0; i < candles.Length; i++)
        {
            ref readonly var candle = ref candles[i];
            run.Step(offset + i, candle);
            if (i == finishAt)
            {
                run.Finish();
            }

            var e = run.CashD + (run.PositionD * candle.Close);
            if (inStats)
            {
                s.Add(candle.OpenTime + interval, e, run.Exposed);
            }

            if (record)
            {
                curves.Record(offset + i, candle.OpenTime + interval, e, run.CashD, run.PositionD);
            }
        }

        stats = s;
    }

    /// <summary>
    /// The gap between consecutive open times when there are at least two candles and every gap is the same positive
    /// value, else null. For such candles every slice of two or more has that interval too, so a sweep computes it once
    /// and passes it as <see cref="BacktestOptions.IntervalMs"/> instead of the engine re-reading the candles each run.
    /// </summary>
    public static long? RegularInterval(ReadOnlySpan<Candle> candles)
    {
        if (candles.Length < 2)
        {
            return null;
        }

        var first = candles[1].OpenTime - candles[0].OpenTime;
        for (var i = 2; i < candles.Length; i++)
        {
            if (candles[i].OpenTime - candles[i - 1].OpenTime != first)
            {
                return null;
            }
        }

        return first > 0 ? first : null;
    }

    /// <summary>
    /// The candle interval: the most common gap between consecutive open times (the smaller on a tie), as
    /// <see cref="Trading.Core.Data.CandleSeries.IntervalMs"/> computes it, so one stray candle does not halve it
    /// (which would mis-state the clock and inflate the annualisation). A single candle: one hour.
    /// </summary>
    public static long Interval(ReadOnlySpan<Candle> candles)
    {
        if (candles.Length < 2)
        {
            return 3_600_000;
        }

        // Data is almost always regular: check for one gap and fall back to a tally only when gaps differ.
        if (RegularInterval(candles) is { } regular)
        {
            return regular;
        }

        var counts = new Dictionary<long, int>();
        for (var i = 1; i < candles.Length; i++)
        {
            var d = candles[i].OpenTime - candles[i - 1].OpenTime;
            if (d > 0)
            {
                counts[d] = counts.GetValueOrDefault(d) + 1;
            }
        }

        long best = 0;
        var bestCount = 0;
        foreach (var (gap, count) in counts)
        {
            if (count > bestCount || (count == bestCount && gap < best))
            {
                (best, bestCount) = (gap, count);
            }
        }

        return bestCount == 0 ? 3_600_000 : best;
    }
}
