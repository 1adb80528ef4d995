namespace Trading.Sim.Market;

/// <summary>One replay step: a trade (with its id and <c>m</c> flag) or the close of the current kline.</summary>
internal readonly record struct MarketEvent(MarketEventKind Kind, long Time, SynthTrade Trade, long TradeId, bool BuyerIsMaker);
