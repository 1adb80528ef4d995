using Trading.Backtest.Engine;
using Trading.Backtest.Metrics;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Results;

/// <summary>
/// A <see cref="BacktestResult"/> from a run recorded elsewhere (<c>quant live</c>): its fills and its equity at each
/// candle close, put through the backtest's own trade ledger, equity statistics and metrics, so that
/// <see cref="ResultFiles"/> writes trades.csv, equity.csv and summary.json in exactly the backtest's formats and with
/// its definitions (a round trip, a drawdown, a Sharpe ratio mean the same thing in both).
/// <para>Trap: the run is taken to start flat at <see cref="RecordedRunInput.InitialCash"/> as far as trades go — a holding the
/// account had before the first fill is not a trade's entry (it shows in the equity, the final position and cash).</para>
/// </summary>
public static class RecordedRun
{
    public static BacktestResult ToResult(RecordedRunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ledger = new TradeLedger(input.LotStep);
        var fills = new List<Fill>(input.Fills.Count);
        foreach (var (fill, reason) in input.Fills)
        {
            ledger.Add(new FillAmounts(fill.OrderId, fill.Time, fill.Side, fill.Price, fill.Quantity, fill.Quantity * fill.Price, fill.Fee, fill.FeeInBase, fill.TradeId), reason ?? "signal");
            fills.Add(fill);
        }

        var curve = input.Curve;
        // As the backtest: the statistics start at the first candle after the warm-up, from the initial cash.
        var statsFrom = Math.Clamp(input.WarmUpCandles, 0, curve.Count);
        var start = statsFrom < curve.Count ? curve[statsFrom].Time - input.IntervalMs : curve.Count > 0 ? curve[^1].Time : input.EndTime;
        var stats = new EquityStatistics((double)input.InitialCash, start);
        var times = new long[curve.Count];
        var equity = new double[curve.Count];
        var cash = new double[curve.Count];
        var position = new double[curve.Count];
        for (var i = 0; i < curve.Count; i++)
        {
            var p = curve[i];
            if (i >= statsFrom)
            {
                stats.Add(p.Time, (double)p.Equity, Math.Abs(p.Position) >= input.LotStep && p.Position != 0);
            }

            times[i] = p.Time;
            equity[i] = (double)p.Equity;
            cash[i] = (double)p.Cash;
            position[i] = (double)p.Position;
        }

        var trades = new List<TradeRecord>(ledger.Closed);
        var open = ledger.OpenTrade(input.LastMark);
        if (open is not null)
        {
            trades.Add(open);
        }

        var metrics = MetricsCalculator.Compute(
            stats,
            ledger.Closed,
            open is null ? 0 : 1,
            (double)input.InitialCash,
            (double)input.FinalEquity,
            (double)input.Fees,
            start,
            curve.Count > 0 ? curve[^1].Time : input.EndTime,
            input.IntervalMs,
            statsFrom < curve.Count ? curve[statsFrom].CandleOpen : input.LastClose,
            input.LastClose) with
        {
            Candles = curve.Count,
            WarmUpCandles = statsFrom,
        };
        return new BacktestResult
        {
            Strategy = input.Strategy,
            Parameters = input.Parameters,
            Metrics = metrics,
            Trades = trades,
            Fills = fills,
            FillCount = fills.Count,
            OpenOrders = input.OpenOrders,
            RejectedOrders = input.RejectedOrders,
            Times = times,
            Equity = equity,
            Cash = cash,
            PositionQuantity = position,
            OrderListHash = OrderListHash.Compute(fills),
            FinalEquity = input.FinalEquity,
            FinalPosition = input.FinalPosition,
            FinalCash = input.FinalCash,
        };
    }
}
