namespace Trading.Core.Orders;

/// <summary>
/// An update about one of the strategy's own orders, with the order as it stands after the update
/// (<see cref="Order"/>, a copy). <see cref="Fill"/> is meaningful only when <see cref="Kind"/> is
/// <see cref="OrderEventKind.Filled"/>; <see cref="Reason"/> only for rejections (and, when known, cancels and
/// expiries). A value type passed by <c>in</c>: delivering one allocates nothing.
/// </summary>
public readonly record struct OrderEvent(OrderEventKind Kind, OrderView Order, Fill Fill = default, string? Reason = null);
