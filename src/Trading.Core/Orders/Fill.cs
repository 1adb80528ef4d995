namespace Trading.Core.Orders;

/// <summary>
/// One execution of (part of) an order. <see cref="Fee"/> is charged in the quote asset, or in the base asset when
/// <see cref="FeeInBase"/> (a buy under <see cref="FeeAsset.Received"/>: the position grows by
/// <see cref="Quantity"/> − <see cref="Fee"/>). <see cref="Time"/> is ms since the Unix epoch, UTC: the moment of the fill.
/// </summary>
public readonly record struct Fill(
    ClientOrderId OrderId,
    long Time,
    OrderSide Side,
    decimal Price,
    decimal Quantity,
    decimal Fee,
    bool IsMaker = false,
    long TradeId = 0,
    bool FeeInBase = false)
{
    /// <summary>Price × quantity, in the quote asset, before fees.</summary>
    public decimal Notional => Price * Quantity;

    /// <summary>Signed base quantity traded: positive for a buy, negative for a sell (a base-asset fee not deducted).</summary>
    public decimal SignedQuantity => Side == OrderSide.Buy ? Quantity : -Quantity;

    /// <summary>The fee's value in the quote asset: a base-asset fee at the fill price.</summary>
    public decimal FeeInQuote => FeeInBase ? Fee * Price : Fee;

    /// <summary>Signed change of the base-asset holding: <see cref="SignedQuantity"/> less a base-asset fee.</summary>
    public decimal PositionChange => FeeInBase ? SignedQuantity - Fee : SignedQuantity;

    /// <summary>Signed change of the quote-asset cash: −notional for a buy, +notional for a sell, less a quote-asset fee.</summary>
    public decimal CashChange => -(SignedQuantity * Price) - (FeeInBase ? 0 : Fee);
}
