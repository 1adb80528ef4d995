namespace Trading.Live.Engine;

/// <summary>The account at one live candle's close (<paramref name="Time"/> = open + interval, UTC ms): equity valued at
/// the close, quote cash and base position, exact; <paramref name="CandleOpen"/> is the candle's open.</summary>
public readonly record struct LiveCurvePoint(long Time, decimal Equity, decimal Cash, decimal Position, double CandleOpen);
