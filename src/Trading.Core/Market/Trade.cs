namespace Trading.Core.Market;

/// <summary>A public trade print. <see cref="Time"/> is ms since the Unix epoch, UTC.</summary>
/// <param name="BuyerIsMaker">True when the resting (maker) side was the buyer, i.e. the aggressor sold.</param>
public readonly record struct Trade(long Time, double Price, double Quantity, bool BuyerIsMaker, long TradeId);
