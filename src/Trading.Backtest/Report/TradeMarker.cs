using Trading.Backtest.Results;

namespace Trading.Backtest.Report;

/// <summary>
/// One arrow on the candlestick chart: the entry or the exit of trade <see cref="Trade"/> (its index in
/// <see cref="BacktestResult.Trades"/>), drawn on candle <see cref="Bar"/>.
/// </summary>
internal readonly record struct TradeMarker(int Bar, int Trade, bool IsEntry, TradeSide Side, double Price);
