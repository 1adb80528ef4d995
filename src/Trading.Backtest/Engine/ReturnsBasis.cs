namespace Trading.Backtest.Engine;

/// <summary>The returns Sharpe and Sortino are computed on.</summary>
public enum ReturnsBasis : byte
{
    /// <summary>One return per candle, annualised with √(periods per year) of the candle interval.</summary>
    Candle,

    /// <summary>
    /// The equity curve resampled to UTC days (the last equity at or before each midnight), one return per day,
    /// annualised with √365: the figure freqtrade and Lean report.
    /// </summary>
    Daily,
}
