namespace Trading.Backtest.Engine;

/// <summary>
/// The per-candle curves a run records (<see cref="BacktestOptions.RecordEquity"/>): one point per candle, at its close.
/// Empty arrays when not recorded.
/// </summary>
internal readonly record struct Curves(long[] Times, double[] Equity, double[] Cash, double[] Position)
{
    public void Record(int i, long time, double equity, double cash, double position)
    {
        Times[i] = time;
        Equity[i] = equity;
        Cash[i] = cash;
        Position[i] = position;
    }
}
