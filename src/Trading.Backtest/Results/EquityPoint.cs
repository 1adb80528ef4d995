namespace Trading.Backtest.Results;

/// <summary>One point of a recorded equity curve: at a candle's close (<paramref name="Time"/>, UTC ms), the equity, the
/// quote cash and the base position, exact; <paramref name="CandleOpen"/> is that candle's open (buy &amp; hold).</summary>
public readonly record struct EquityPoint(long Time, decimal Equity, decimal Cash, decimal Position, double CandleOpen);
