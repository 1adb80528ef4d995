namespace Trading.Core.Orders;

/// <summary>
/// An update about one of the strategy's own orders. <see cref="Fill"/> is meaningful only when
/// <see cref="Kind"/> is <see cref="OrderEventKind.Filled"/>; <see cref="Reason"/> only for rejections
/// (and, when known, cancels and expiries).
/// </summary>
public readonly record struct OrderEvent(OrderEventKind Kind, Order Order, Fill Fill = default, string? Reason = null);
