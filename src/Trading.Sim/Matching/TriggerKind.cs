namespace Trading.Sim.Matching;

/// <summary>
/// A conditional order's trigger (Trading.Core has no stop types; these are Binance's). STOP_LOSS triggers when the last
/// price reaches the stop price moving against the position (a SELL at or below it, a BUY at or above it), TAKE_PROFIT
/// moving in its favour (a SELL at or above, a BUY at or below). Triggered, it becomes what its type says: a MARKET
/// order (STOP_LOSS, TAKE_PROFIT) or a LIMIT order (STOP_LOSS_LIMIT, TAKE_PROFIT_LIMIT).
/// </summary>
internal enum TriggerKind : byte
{
    None,
    StopLoss,
    TakeProfit,
}
