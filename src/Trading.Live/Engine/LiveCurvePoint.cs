namespace Trading.Live.Engine;

/// <summary>The account at one live candle's close (<paramref name="Time"/> = open + interval, UTC ms), as the engine knew
/// it when the kline closed: equity marked at the close, quote cash and base position, exact.</summary>
public readonly record struct LiveCurvePoint(long Time, decimal Equity, decimal Cash, decimal Position);
