namespace Trading.Core.Orders;

/// <summary>
/// One of the strategy's orders as it stood at one moment, by value: what a strategy may read of its orders, in
/// <see cref="Strategies.IStrategyContext.OpenOrders"/> and in every <see cref="OrderEvent"/>. A copy, not a handle:
/// it does not change after the strategy receives it, and holding it keeps nothing alive but its strings. Engines
/// keep these in their own arrays, so handing them out allocates nothing.
/// </summary>
/// <param name="Quantity">Ordered base quantity; for a quote-sized market order zero until the fill fixes it.</param>
/// <param name="FeesPaid">Commission so far, valued in the quote asset (a base-asset fee at its fill price).</param>
/// <param name="Reason">Why it was rejected, canceled or expired, when known.</param>
/// <param name="OcoPartner">The other order of its one-cancels-other pair, or <see cref="ClientOrderId.None"/>.</param>
public readonly record struct OrderView(
    ClientOrderId Id,
    OrderSide Side,
    OrderType Type,
    OrderStatus Status,
    TimeInForce TimeInForce,
    decimal Quantity,
    decimal Price,
    decimal StopPrice,
    decimal QuoteQuantity,
    decimal FilledQuantity,
    decimal AveragePrice,
    decimal FeesPaid,
    long CreatedTime,
    long LastUpdateTime,
    string? Tag,
    string? Reason,
    ClientOrderId OcoPartner)
{
    /// <summary>Still working: New or PartiallyFilled.</summary>
    public bool IsOpen => Status is OrderStatus.New or OrderStatus.PartiallyFilled;

    public decimal RemainingQuantity => Quantity - FilledQuantity;

    public bool IsOco => !OcoPartner.IsNone;
}
