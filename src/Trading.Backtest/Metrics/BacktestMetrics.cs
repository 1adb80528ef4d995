namespace Trading.Backtest.Metrics;

/// <summary>
/// The summary of one backtest. Percentages are in percent (12.5 = 12.5 %); drawdowns are positive magnitudes.
/// Ratios that divide by zero are 0, except <see cref="ProfitFactor"/>, which is +∞ with gains and no losses.
/// Each formula is stated on <see cref="MetricsCalculator"/>.
/// </summary>
public sealed record BacktestMetrics
{
    public long Start { get; init; }
    public long End { get; init; }
    /// <summary>Every candle replayed, warm-up included.</summary>
    public int Candles { get; init; }

    /// <summary>Leading candles that only warmed the strategy up (orders refused).</summary>
    public int WarmUpCandles { get; init; }

    /// <summary>Candles the statistics cover: all of them with warm-up in the statistics, else those after the warm-up.</summary>
    public int StatsCandles { get; init; }
    public int Trades { get; init; }
    public int OpenTrades { get; init; }
    public double InitialCash { get; init; }
    public double FinalEquity { get; init; }
    public double EquityPeak { get; init; }
    public double TotalReturnPct { get; init; }
    public double CagrPct { get; init; }
    public double BuyHoldReturnPct { get; init; }
    public double VolatilityPct { get; init; }
    public double Sharpe { get; init; }
    public double Sortino { get; init; }
    public double Calmar { get; init; }
    public double MaxDrawdownPct { get; init; }
    public long MaxDrawdownDurationMs { get; init; }
    public double AvgDrawdownPct { get; init; }
    public double WinRatePct { get; init; }
    public double BestTradePct { get; init; }
    public double WorstTradePct { get; init; }
    public double AvgTradePct { get; init; }
    public double ProfitFactor { get; init; }
    public double Expectancy { get; init; }
    public long AvgTradeDurationMs { get; init; }
    public long MaxTradeDurationMs { get; init; }
    public double ExposurePct { get; init; }
    public double Fees { get; init; }
    public long IntervalMs { get; init; }

    /// <summary>Which returns <see cref="Sharpe"/> and <see cref="Sortino"/> are computed on.</summary>
    public Engine.ReturnsBasis Returns { get; init; }
}
