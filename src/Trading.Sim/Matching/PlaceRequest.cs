using Trading.Core.Orders;

namespace Trading.Sim.Matching;

/// <summary>A validated order.place. Price is 0 for MARKET; exactly one of Quantity / QuoteOrderQty is set for MARKET.</summary>
internal readonly record struct PlaceRequest(
    OrderSide Side,
    OrderType Type,
    bool PostOnly,
    TimeInForce TimeInForce,
    decimal Price,
    decimal Quantity,
    decimal QuoteOrderQty,
    string? NewClientOrderId)
{
    /// <summary>STOP_LOSS[_LIMIT] / TAKE_PROFIT[_LIMIT]: the trigger and its stop price (None for plain orders).</summary>
    public TriggerKind Trigger { get; init; }

    public decimal StopPrice { get; init; }
}
