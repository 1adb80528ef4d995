namespace Trading.Core.Market;

/// <summary>
/// A closed OHLCV bar. <see cref="OpenTime"/> is the bar's open time in milliseconds since the Unix epoch, UTC.
/// Prices are <see cref="double"/>: candles feed analytics (indicators, metrics); prices that reach an exchange are
/// rounded to the instrument's tick as <see cref="decimal"/> (see <see cref="Instrument"/>).
/// </summary>
public readonly record struct Candle(long OpenTime, double Open, double High, double Low, double Close, double Volume);
