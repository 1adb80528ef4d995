using Trading.Core.Market;

namespace Trading.Live.Binance;

/// <summary>
/// What exchangeInfo says about one symbol: Core's <see cref="Instrument"/> (tick, lot step, minimum quantity and
/// notional) plus the limits the engine checks before sending (maximum quantity and notional, open orders) and the
/// account-wide rate limits.
/// </summary>
public sealed record SymbolRules(
    Instrument Instrument,
    string Status,
    decimal MaxQuantity,
    decimal MaxNotional,
    int MaxOpenOrders,
    IReadOnlyList<RateLimitEntry> RateLimits);
