using Trading.Backtest.Engine;
using Trading.Backtest.Results;

namespace Trading.Backtest.Metrics;

/// <summary>
/// Computes <see cref="BacktestMetrics"/>. Formulas (E = equity, C₀ = initial cash, r = per-candle return, n = candles,
/// P = periods per year = 365 days / candle interval, since crypto trades every day; Y = (end − start) / 365 days):
/// <list type="bullet">
/// <item>Total return % = (E_final / C₀ − 1) × 100.</item>
/// <item>CAGR % = ((E_final / C₀)^(1/Y) − 1) × 100, with start = first open and end = last candle's close time.</item>
/// <item>Buy &amp; hold % = (last close / first open − 1) × 100: holding across the whole range, no fees.</item>
/// <item>Volatility % = stdev(r) × √P × 100 (sample stdev).</item>
/// <item>Sharpe = mean(r) / stdev(r) × √P, risk-free 0.</item>
/// <item>Sortino = mean(r) / DD × √P with DD = sqrt(Σ min(r, 0)² / n).</item>
/// <item>With <see cref="ReturnsBasis.Daily"/>, Sharpe and Sortino take the daily returns of the curve resampled to
/// UTC days (<see cref="EquityStatistics"/>) instead of r, and √365 instead of √P.</item>
/// <item>Max drawdown % = max over i of (1 − E_i / peak_i) × 100; duration = longest peak-to-recovery time.</item>
/// <item>Average drawdown % = mean of each drawdown episode's deepest point × 100.</item>
/// <item>Calmar = CAGR % / max drawdown %.</item>
/// <item>Win rate % = closed trades with PnL &gt; 0 / closed trades × 100.</item>
/// <item>Best / worst / average trade % = max / min / mean of the closed trades' return %.</item>
/// <item>Profit factor = Σ PnL of winners / |Σ PnL of losers| (net of fees).</item>
/// <item>Expectancy = mean PnL per closed trade, in the quote asset.</item>
/// <item>Average / max trade duration = mean / max of exit − entry time over closed trades.</item>
/// <item>Exposure % = candles closing with a position / n × 100.</item>
/// </list>
/// </summary>
internal static class MetricsCalculator
{
    public const long YearMs = 365L * 24 * 60 * 60 * 1000;

    public static BacktestMetrics Compute(
        in EquityStatistics stats,
        IReadOnlyList<TradeRecord> closedTrades,
        int openTrades,
        double initialCash,
        double finalEquity,
        double fees,
        long start,
        long end,
        long intervalMs,
        double firstOpen,
        double lastClose,
        ReturnsBasis returns = ReturnsBasis.Candle) =>
        Compute(stats, TradeStatistics.Of(closedTrades), openTrades, initialCash, finalEquity, fees, start, end, intervalMs, firstOpen, lastClose, returns);

    /// <summary>
    /// As the overload over the trade list, from the closed trades' statistics accumulated as they closed;
    /// <paramref name="candles"/> (default: the statistics' count) and <paramref name="warmUpCandles"/> fill
    /// <see cref="BacktestMetrics.Candles"/> and <see cref="BacktestMetrics.WarmUpCandles"/>.
    /// </summary>
    public static BacktestMetrics Compute(
        in EquityStatistics stats,
        in TradeStatistics trades,
        int openTrades,
        double initialCash,
        double finalEquity,
        double fees,
        long start,
        long end,
        long intervalMs,
        double firstOpen,
        double lastClose,
        ReturnsBasis returns = ReturnsBasis.Candle,
        int? candles = null,
        int warmUpCandles = 0)
    {
        var periodsPerYear = intervalMs > 0 ? (double)YearMs / intervalMs : 0;
        var sqrtP = Math.Sqrt(periodsPerYear);
        var years = (double)(end - start) / YearMs;
        var growth = finalEquity / initialCash;
        var cagr = years > 0 && growth > 0 ? (Math.Pow(growth, 1 / years) - 1) * 100 : 0;
        var std = stats.ReturnStdDev;
        var downside = stats.DownsideDeviation;
        var maxDd = stats.MaxDrawdown * 100;
        var (mean, sharpeStd, sortinoDown, sqrtSharpe) = returns == ReturnsBasis.Daily
            ? Daily(stats)
            : (stats.MeanReturn, std, downside, sqrtP);

        double wins = trades.Wins, grossWin = trades.GrossWin, grossLoss = trades.GrossLoss, best = trades.Best, worst = trades.Worst, sumReturn = trades.SumReturn, sumPnl = trades.SumPnl;
        long sumDuration = trades.SumDuration, maxDuration = trades.MaxDuration;
        var n = trades.Count;
        return new BacktestMetrics
        {
            Start = start,
            End = end,
            Candles = candles ?? stats.Count,
            WarmUpCandles = warmUpCandles,
            StatsCandles = stats.Count,
            Trades = n,
            OpenTrades = openTrades,
            InitialCash = initialCash,
            FinalEquity = finalEquity,
            EquityPeak = stats.Peak,
            TotalReturnPct = (growth - 1) * 100,
            CagrPct = cagr,
            BuyHoldReturnPct = firstOpen > 0 ? ((lastClose / firstOpen) - 1) * 100 : 0,
            VolatilityPct = std * sqrtP * 100,
            Sharpe = sharpeStd > 0 ? mean / sharpeStd * sqrtSharpe : 0,
            Sortino = sortinoDown > 0 ? mean / sortinoDown * sqrtSharpe : 0,
            Returns = returns,
            Calmar = maxDd > 0 ? cagr / maxDd : 0,
            MaxDrawdownPct = maxDd,
            MaxDrawdownDurationMs = stats.LongestDrawdownMs,
            AvgDrawdownPct = stats.AverageDrawdown * 100,
            WinRatePct = n > 0 ? wins / n * 100 : 0,
            BestTradePct = best,
            WorstTradePct = worst,
            AvgTradePct = n > 0 ? sumReturn / n : 0,
            ProfitFactor = grossLoss > 0 ? grossWin / grossLoss : grossWin > 0 ? double.PositiveInfinity : 0,
            Expectancy = n > 0 ? sumPnl / n : 0,
            AvgTradeDurationMs = n > 0 ? sumDuration / n : 0,
            MaxTradeDurationMs = maxDuration,
            ExposurePct = stats.Count > 0 ? (double)stats.ExposedCount / stats.Count * 100 : 0,
            Fees = fees,
            IntervalMs = intervalMs,
        };
    }

    private static (double Mean, double StdDev, double Downside, double SqrtPeriods) Daily(in EquityStatistics stats)
    {
        var (mean, std, downside) = stats.DailyMoments();
        return (mean, std, downside, Math.Sqrt(365));
    }
}
