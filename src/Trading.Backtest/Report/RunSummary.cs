using Trading.Backtest.Metrics;

namespace Trading.Backtest.Report;

/// <summary>The few metrics an optimization report lists for a run (percentages in percent, drawdown positive).</summary>
public readonly record struct RunSummary(
    double TotalReturnPct,
    double MaxDrawdownPct,
    double Sharpe,
    int Trades,
    double WinRatePct,
    double ProfitFactor)
{
    public static RunSummary From(BacktestMetrics m) =>
        new(m.TotalReturnPct, m.MaxDrawdownPct, m.Sharpe, m.Trades, m.WinRatePct, m.ProfitFactor);
}
