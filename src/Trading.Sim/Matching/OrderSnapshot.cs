using Trading.Core.Orders;

namespace Trading.Sim.Matching;

/// <summary>An order's state at one moment, for replies and execution reports.</summary>
internal readonly record struct OrderSnapshot(
    long OrderId,
    string ClientOrderId,
    OrderSide Side,
    OrderType Type,
    bool PostOnly,
    TimeInForce TimeInForce,
    decimal Price,
    decimal OrigQty,
    decimal OrigQuoteQty,
    decimal ExecutedQty,
    decimal CumQuote,
    OrderStatus Status,
    long Time,
    long UpdateTime,
    long WorkingTime,
    string? ExpiryReason,
    bool OnBook,
    TriggerKind Trigger,
    decimal StopPrice,
    long OrderListId)
{
    public bool IsOpen => Status is OrderStatus.New or OrderStatus.PartiallyFilled;
}
