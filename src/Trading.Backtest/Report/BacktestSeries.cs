using Trading.Backtest.Results;
using Trading.Core.Market;

namespace Trading.Backtest.Report;

/// <summary>
/// The series a backtest report draws, derived from a result and the candles it ran on. Every array has one point
/// per candle, placed on that candle's open time (the chart's bar) and holding the value at its close.
/// </summary>
internal sealed class BacktestSeries
{
    /// <summary>Buy &amp; hold scaled to the initial cash: <c>cash0 × close[i] / open[0]</c> (no fees), so its last
    /// point is the <see cref="Metrics.BacktestMetrics.BuyHoldReturnPct"/> of the summary.</summary>
    public required double[] BuyHold { get; init; }

    /// <summary>Underwater curve in percent, ≤ 0: <c>(equity[i] / peak[i] − 1) × 100</c> with the running peak
    /// starting at the initial cash (the same definition as equity.csv and the max drawdown).</summary>
    public required double[] Drawdown { get; init; }

    /// <summary>
    /// One marker per trade entry and one per trade exit, sorted by bar (entries before exits on a shared bar):
    /// <c>Markers.Count == Trades.Count + closed trades</c>, since the open trade (if any) has no exit. A fill's bar
    /// is the last candle opening at or before the fill time, clamped to the data: a next-open fill sits on the candle
    /// it filled in, an on-close fill on the candle that opens at that instant, the end-of-data close on the last one.
    /// </summary>
    public required IReadOnlyList<TradeMarker> Markers { get; init; }

    public static BacktestSeries Build(BacktestResult result, ReadOnlySpan<Candle> candles)
    {
        if (candles.IsEmpty)
        {
            throw new ArgumentException("a report needs the candles the backtest ran on; none were given", nameof(candles));
        }

        if (result.Equity.Length != candles.Length)
        {
            throw new ArgumentException(
                $"the result has {result.Equity.Length} equity points for {candles.Length} candles; run the backtest on these candles with RecordEquity on",
                nameof(result));
        }

        var cash0 = result.Metrics.InitialCash;
        var firstOpen = candles[0].Open;
        var buyHold = new double[candles.Length];
        var drawdown = new double[candles.Length];
        var peak = cash0;
        for (var i = 0; i < candles.Length; i++)
        {
            buyHold[i] = firstOpen > 0 ? cash0 * candles[i].Close / firstOpen : cash0;
            var e = result.Equity[i];
            peak = Math.Max(peak, e);
            drawdown[i] = peak > 0 ? ((e / peak) - 1) * 100 : 0;
        }

        var markers = new List<TradeMarker>(result.Trades.Count * 2);
        for (var k = 0; k < result.Trades.Count; k++)
        {
            var t = result.Trades[k];
            markers.Add(new TradeMarker(BarAt(candles, t.EntryTime), k, true, t.Side, (double)t.EntryPrice));
            if (t.ExitTime is { } exit)
            {
                markers.Add(new TradeMarker(BarAt(candles, exit), k, false, t.Side, (double)t.ExitPrice));
            }
        }

        // Stable sort: on a shared bar the earlier trade's marker keeps its place, and within one trade the entry.
        var sorted = markers.OrderBy(m => m.Bar).ToList();
        return new BacktestSeries { BuyHold = buyHold, Drawdown = drawdown, Markers = sorted };
    }

    /// <summary>The index of the last candle whose open time is ≤ <paramref name="time"/>, clamped to [0, n − 1].</summary>
    public static int BarAt(ReadOnlySpan<Candle> candles, long time)
    {
        int lo = 0, hi = candles.Length - 1;
        if (time <= candles[0].OpenTime)
        {
            return 0;
        }

        while (lo < hi)
        {
            var mid = lo + ((hi - lo + 1) / 2);
            if (candles[mid].OpenTime <= time)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }
}
