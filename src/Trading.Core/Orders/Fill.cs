namespace Trading.Core.Orders;

/// <summary>
/// One execution of (part of) an order. <see cref="Fee"/> is charged in the quote asset.
/// <see cref="Time"/> is ms since the Unix epoch, UTC: the moment of the fill.
/// </summary>
public readonly record struct Fill(
    ClientOrderId OrderId,
    long Time,
    OrderSide Side,
    decimal Price,
    decimal Quantity,
    decimal Fee,
    bool IsMaker = false,
    long TradeId = 0)
{
    /// <summary>Price × quantity, in the quote asset, before fees.</summary>
    public decimal Notional => Price * Quantity;

    /// <summary>Signed base quantity: positive for a buy, negative for a sell.</summary>
    public decimal SignedQuantity => Side == OrderSide.Buy ? Quantity : -Quantity;
}
