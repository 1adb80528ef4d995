using Trading.Core.Orders;
using Trading.Live.Binance;

namespace Trading.Live.Journal;

/// <summary>One journalled trade (unique by <see cref="TradeId"/>).</summary>
public sealed record JournalFill(
    long TradeId,
    string ClientOrderId,
    long Time,
    OrderSide Side,
    long VenueOrderId,
    decimal Quantity,
    decimal Price,
    decimal Commission,
    CommissionAsset CommissionAsset,
    bool IsMaker);
