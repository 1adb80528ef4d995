using Trading.Core.Numerics;
using Trading.Core.Orders;

namespace Trading.Backtest.Engine;

/// <summary>
/// A reusable order slot of one backtest: the state of an <see cref="Order"/>, its amounts in
/// <see cref="ExactDecimal"/> (decimals only in its <see cref="View"/>), moved by the same rules as
/// <see cref="OrderLifecycle"/>'s (legal transitions only, a quote-sized order's quantity fixed by its fill, the
/// average price, fees at their quote value; the same expressions, so the same bits), so that its
/// <see cref="View"/> is the one an <see cref="Order"/> would give. <see cref="BacktestRun"/> recycles a slot
/// once its order has left the book, so orders cost no allocation in steady state. Trap: a slot is reused only at
/// the start of a later candle (see <see cref="BacktestRun"/>): code handling an order may keep its reference until
/// the current callback chain returns, never longer.
/// </summary>
internal sealed class BacktestOrder
{
    public ClientOrderId Id { get; private set; }

    public ClientOrderId OcoPartner { get; private set; }

    public OrderSide Side { get; private set; }

    public OrderType Type { get; private set; }

    /// <summary>Ordered base quantity; for a quote-sized market order it is zero until the fill fixes it.</summary>
    public ExactDecimal Quantity { get; private set; }

    public ExactDecimal Price { get; private set; }

    public ExactDecimal StopPrice { get; private set; }

    public ExactDecimal QuoteQuantity { get; private set; }

    public TimeInForce TimeInForce { get; private set; }

    public string? Tag { get; private set; }

    public long CreatedTime { get; private set; }

    public long LastUpdateTime { get; private set; }

    public OrderStatus Status { get; private set; }

    public ExactDecimal FilledQuantity { get; private set; }

    public ExactDecimal AveragePrice { get; private set; }

    public ExactDecimal FeesPaid { get; private set; }

    public string? Reason { get; private set; }

    public bool IsOpen => Status is OrderStatus.New or OrderStatus.PartiallyFilled;

    public ExactDecimal RemainingQuantity => Quantity - FilledQuantity;

    /// <summary>Makes this slot a new order (status New), as <c>new Order(id, symbol, request, createdTime) { OcoPartner }</c>.</summary>
    /// <param name="quantity">The request's quantity rounded down to the lot step.</param>
    public BacktestOrder Reset(ClientOrderId id, in OrderRequest request, ExactDecimal quantity, long createdTime, ClientOrderId ocoPartner)
    {
        Id = id;
        OcoPartner = ocoPartner;
        Side = request.Side;
        Type = request.Type;
        Quantity = quantity;
        Price = ExactDecimal.FromDecimal(request.Price);
        StopPrice = ExactDecimal.FromDecimal(request.StopPrice);
        QuoteQuantity = ExactDecimal.FromDecimal(request.QuoteQuantity);
        TimeInForce = request.TimeInForce;
        Tag = request.Tag;
        CreatedTime = createdTime;
        LastUpdateTime = createdTime;
        Status = OrderStatus.New;
        FilledQuantity = default;
        AveragePrice = default;
        FeesPaid = default;
        Reason = null;
        return this;
    }

    /// <summary>
    /// <see cref="Order.ApplyFill"/>: <see cref="OrderLifecycle.QuantityForFill"/> then <see cref="OrderLifecycle.Advance"/>,
    /// the same checks and the same expressions (the average's division, when there is one, in decimal).
    /// </summary>
    public void ApplyFill(in FillAmounts fill)
    {
        var fillQuantity = fill.Quantity;
        if (fillQuantity.Sign <= 0)
        {
            throw new InvalidOperationException($"order {Id}: fill quantity {fillQuantity.ToDecimal()} must be positive");
        }

        if (Quantity.IsZero && QuoteQuantity.Sign > 0 && FilledQuantity.IsZero)
        {
            Quantity = fillQuantity;
        }

        var remaining = Quantity - FilledQuantity;
        if (fillQuantity > remaining)
        {
            throw new InvalidOperationException($"order {Id}: fill {fillQuantity.ToDecimal()} exceeds remaining {remaining.ToDecimal()}");
        }

        var filled = FilledQuantity + fillQuantity;
        var next = filled == Quantity ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        OrderLifecycle.EnsureTransition(Id, Status, next);
        var average = FilledQuantity.IsZero
            ? fill.Price
            : ExactDecimal.FromDecimal(((AveragePrice * FilledQuantity) + (fill.Price * fillQuantity)).ToDecimal() / filled.ToDecimal());
        Status = next;
        LastUpdateTime = fill.Time;
        AveragePrice = average;
        FilledQuantity = filled;
        FeesPaid += fill.FeeInQuote;
    }

    public void Cancel(long time, string? reason = null)
    {
        MoveTo(OrderStatus.Canceled, time);
        Reason = reason;
    }

    public void Reject(long time, string reason)
    {
        MoveTo(OrderStatus.Rejected, time);
        Reason = reason;
    }

    public void Expire(long time, string? reason = null)
    {
        MoveTo(OrderStatus.Expired, time);
        Reason = reason;
    }

    /// <summary>The order's state by value, field for field as <see cref="Order.View"/>.</summary>
    public OrderView View() => new(
        Id, Side, Type, Status, TimeInForce, Quantity.ToDecimal(), Price.ToDecimal(), StopPrice.ToDecimal(), QuoteQuantity.ToDecimal(),
        FilledQuantity.ToDecimal(), AveragePrice.ToDecimal(), FeesPaid.ToDecimal(), CreatedTime, LastUpdateTime, Tag, Reason, OcoPartner);

    public override string ToString() =>
        $"{Id} {Side} {Type} {Quantity}@{(Type == OrderType.StopMarket ? StopPrice : Price)} {Status} filled {FilledQuantity}";

    private void MoveTo(OrderStatus next, long time)
    {
        OrderLifecycle.EnsureTransition(Id, Status, next);
        Status = next;
        LastUpdateTime = time;
    }
}
