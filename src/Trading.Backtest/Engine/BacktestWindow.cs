namespace Trading.Backtest.Engine;

/// <summary>Where a backtest's candles start once its warm-up is taken into account.</summary>
public static class BacktestWindow
{
    /// <summary>
    /// The index of the first candle to replay so that <paramref name="warmUp"/> candles precede
    /// <paramref name="firstTradable"/> (the first candle of the requested period): the history just before it when
    /// the data has that much, else from the first candle (the warm-up then takes the first candles of the period).
    /// </summary>
    public static int Start(int firstTradable, int warmUp) => Math.Max(0, firstTradable - warmUp);
}
