using Trading.Backtest.Metrics;
using Trading.Backtest.Results;
using Trading.Core.Market;
using Trading.Core.Strategies;

namespace Trading.Backtest.Engine;

/// <summary>
/// Replays closed candles, in time order, on the calling thread, through one strategy (see <see cref="BacktestRun"/>
/// for the order flow and <see cref="FillModel"/> for where orders fill). The same inputs give the same result,
/// byte for byte: no clocks, no randomness, no shared state. Allocation-free per candle in steady state: orders,
/// fills and events allocate; candles do not.
/// </summary>
public static class BacktestEngine
{
    /// <summary>Runs <paramref name="descriptor"/> with <paramref name="parameters"/> (validated, defaults filled in).</summary>
    public static BacktestResult Run(ReadOnlySpan<Candle> candles, StrategyDescriptor descriptor, ParameterSet parameters, BacktestOptions options)
    {
        var complete = descriptor.Complete(parameters);
        var result = Run(candles, descriptor.Create(complete), options);
        return new BacktestResult
        {
            Strategy = descriptor.Name,
            Parameters = complete,
            Metrics = result.Metrics,
            Trades = result.Trades,
            Fills = result.Fills,
            OpenOrders = result.OpenOrders,
            RejectedOrders = result.RejectedOrders,
            Times = result.Times,
            Equity = result.Equity,
            Cash = result.Cash,
            PositionQuantity = result.PositionQuantity,
            OrderListHash = result.OrderListHash,
            FinalEquity = result.FinalEquity,
        };
    }

    /// <summary>Runs a strategy instance (which must be fresh: strategies keep state) over <paramref name="candles"/>.</summary>
    public static BacktestResult Run(ReadOnlySpan<Candle> candles, IStrategy strategy, BacktestOptions options)
    {
        if (candles.IsEmpty)
        {
            throw new ArgumentException("no candles to replay", nameof(candles));
        }

        var interval = Interval(candles);
        var run = new BacktestRun(strategy, options) { IntervalMs = interval };
        var record = options.RecordEquity;
        var times = record ? new long[candles.Length] : [];
        var equity = record ? new double[candles.Length] : [];
        var cash = record ? new double[candles.Length] : [];
        var position = record ? new double[candles.Length] : [];
        var stats = new EquityStatistics((double)options.InitialCash, candles[0].OpenTime);

        run.Start(candles[0]);
        var last = candles.Length - 1;
        for (var i = 0; i < candles.Length; i++)
        {
            ref readonly var candle = ref candles[i];
            run.Step(i, candle);
            if (i == last)
            {
                run.Finish();
            }

            var closeTime = candle.OpenTime + interval;
            var e = run.CashD + (run.PositionD * candle.Close);
            stats.Add(closeTime, e, run.PositionD != 0);
            if (record)
            {
                times[i] = closeTime;
                equity[i] = e;
                cash[i] = run.CashD;
                position[i] = run.PositionD;
            }
        }

        var lastCandle = candles[last];
        var mark = FillModel.ToDecimal(lastCandle.Close);
        var symbol = options.Instrument.Symbol;
        run.Portfolio.Mark(symbol, mark);
        var trades = new List<TradeRecord>(run.Ledger.Closed);
        var open = run.Ledger.OpenTrade(mark);
        if (open is not null)
        {
            trades.Add(open);
        }

        var finalEquity = run.Portfolio.Equity;
        var metrics = MetricsCalculator.Compute(
            stats,
            run.Ledger.Closed,
            open is null ? 0 : 1,
            (double)options.InitialCash,
            (double)finalEquity,
            (double)run.Portfolio.FeesPaid,
            candles[0].OpenTime,
            lastCandle.OpenTime + interval,
            interval,
            candles[0].Open,
            lastCandle.Close);

        return new BacktestResult
        {
            Metrics = metrics,
            Trades = trades,
            Fills = run.Fills,
            OpenOrders = run.Open,
            RejectedOrders = run.Rejected,
            Times = times,
            Equity = equity,
            Cash = cash,
            PositionQuantity = position,
            OrderListHash = OrderListHash.Compute(run.Fills),
            FinalEquity = finalEquity,
        };
    }

    /// <summary>The candle interval: the smallest gap between consecutive open times (a single candle: one hour).</summary>
    public static long Interval(ReadOnlySpan<Candle> candles)
    {
        var min = long.MaxValue;
        for (var i = 1; i < candles.Length; i++)
        {
            var d = candles[i].OpenTime - candles[i - 1].OpenTime;
            if (d > 0 && d < min)
            {
                min = d;
            }
        }

        return min == long.MaxValue ? 3_600_000 : min;
    }
}
