namespace Trading.Backtest.Metrics;

/// <summary>
/// The closed trades' share of <see cref="BacktestMetrics"/> (win rate, best/worst/average return, profit factor,
/// expectancy, durations), accumulated trade by trade in closing order — the same sums in the same order as a pass
/// over the trade list, so the same doubles — so that a run that keeps no trade records (an optimizer sweep) still
/// reports them.
/// </summary>
internal struct TradeStatistics
{
    public int Count { get; private set; }

    public double Wins { get; private set; }

    public double GrossWin { get; private set; }

    public double GrossLoss { get; private set; }

    public double Best { get; private set; }

    public double Worst { get; private set; }

    public double SumReturn { get; private set; }

    public double SumPnl { get; private set; }

    public long SumDuration { get; private set; }

    public long MaxDuration { get; private set; }

    /// <summary>One closed trade: its net PnL, its return % and its duration (exit − entry time).</summary>
    public void Add(decimal pnl, double returnPct, long durationMs) => Add((double)pnl, returnPct, durationMs);

    /// <summary>One closed trade, its net PnL already converted: <paramref name="pnl"/> must be (double) of the decimal PnL.</summary>
    public void Add(double pnl, double returnPct, long durationMs)
    {
        var p = pnl;
        if (p > 0)
        {
            Wins++;
            GrossWin += p;
        }
        else
        {
            GrossLoss -= p;
        }

        Best = Count == 0 ? returnPct : Math.Max(Best, returnPct);
        Worst = Count == 0 ? returnPct : Math.Min(Worst, returnPct);
        SumReturn += returnPct;
        SumPnl += p;
        SumDuration += durationMs;
        MaxDuration = Math.Max(MaxDuration, durationMs);
        Count++;
    }

    public static TradeStatistics Of(IReadOnlyList<Results.TradeRecord> closedTrades)
    {
        var s = default(TradeStatistics);
        for (var i = 0; i < closedTrades.Count; i++)
        {
            var t = closedTrades[i];
            s.Add(t.Pnl, t.ReturnPct, t.ExitTime!.Value - t.EntryTime);
        }

        return s;
    }
}
