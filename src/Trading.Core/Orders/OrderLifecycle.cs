namespace Trading.Core.Orders;

/// <summary>
/// The rules of an order's life cycle as plain functions of its state, so that every engine's order type applies the
/// same ones: <see cref="Order"/> and the backtest's reusable order slots both call these. Legal transitions only
/// (<see cref="Order.CanTransition"/>); a fill fixes a quote-sized order's quantity, may not exceed what remains, and
/// moves the volume-weighted average price and the fees (valued in the quote asset). A fill is applied in two steps,
/// <see cref="QuantityForFill"/> then <see cref="Advance"/>, the order storing the first's result before the second
/// may throw, as it always has.
/// </summary>
public static class OrderLifecycle
{
    /// <summary>Throws <see cref="InvalidOperationException"/> unless <paramref name="from"/> → <paramref name="to"/> is legal.</summary>
    public static void EnsureTransition(ClientOrderId id, OrderStatus from, OrderStatus to)
    {
        if (!Order.CanTransition(from, to))
        {
            throw new InvalidOperationException($"order {id}: illegal transition {from} -> {to}");
        }
    }

    /// <summary>
    /// The ordered quantity once a fill of <paramref name="fillQuantity"/> arrives: a quote-sized order's first fill
    /// fixes it. Throws when the fill is not positive.
    /// </summary>
    public static decimal QuantityForFill(ClientOrderId id, decimal quantity, decimal quoteQuantity, decimal filledQuantity, decimal fillQuantity)
    {
        if (fillQuantity <= 0)
        {
            throw new InvalidOperationException($"order {id}: fill quantity {fillQuantity} must be positive");
        }

        return quantity == 0 && quoteQuantity > 0 && filledQuantity == 0 ? fillQuantity : quantity;
    }

    /// <summary>
    /// The order's state after a fill of <paramref name="fillQuantity"/> at <paramref name="fillPrice"/> with
    /// <paramref name="fillFeeInQuote"/> (<see cref="Fill.FeeInQuote"/>), <paramref name="quantity"/> being
    /// <see cref="QuantityForFill"/>'s. Throws when the fill exceeds the remaining quantity or the order may not take a
    /// fill in its status.
    /// </summary>
    public static FillOutcome Advance(
        ClientOrderId id,
        OrderStatus status,
        decimal quantity,
        decimal filledQuantity,
        decimal averagePrice,
        decimal feesPaid,
        decimal fillQuantity,
        decimal fillPrice,
        decimal fillFeeInQuote)
    {
        var remaining = quantity - filledQuantity;
        if (fillQuantity > remaining)
        {
            throw new InvalidOperationException($"order {id}: fill {fillQuantity} exceeds remaining {remaining}");
        }

        var filled = filledQuantity + fillQuantity;
        var next = filled == quantity ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        EnsureTransition(id, status, next);
        var average = filledQuantity == 0 ? fillPrice : ((averagePrice * filledQuantity) + (fillPrice * fillQuantity)) / filled;
        return new FillOutcome(next, filled, average, feesPaid + fillFeeInQuote);
    }
}
