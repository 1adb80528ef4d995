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
    string? NewClientOrderId);
