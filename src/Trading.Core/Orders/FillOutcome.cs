namespace Trading.Core.Orders;

/// <summary>An order's state after a fill (see <see cref="OrderLifecycle.Advance"/>).</summary>
public readonly record struct FillOutcome(OrderStatus Status, decimal FilledQuantity, decimal AveragePrice, decimal FeesPaid);
