namespace Trading.Core.Orders;

/// <summary>
/// An order and its life cycle. The status only moves along the legal transitions of <see cref="OrderStatus"/>;
/// an illegal one (a fill after a cancel, a second reject) throws <see cref="InvalidOperationException"/>, because it
/// means the engine, not the market, is wrong. Not thread-safe: an order belongs to one engine thread.
/// </summary>
public sealed class Order
{
    public Order(ClientOrderId id, string symbol, in OrderRequest request, long createdTime)
    {
        Id = id;
        Symbol = symbol;
        Side = request.Side;
        Type = request.Type;
        Quantity = request.Quantity;
        Price = request.Price;
        StopPrice = request.StopPrice;
        QuoteQuantity = request.QuoteQuantity;
        TimeInForce = request.TimeInForce;
        Tag = request.Tag;
        CreatedTime = createdTime;
        LastUpdateTime = createdTime;
    }

    public ClientOrderId Id { get; }

    /// <summary>The other order of its one-cancels-other pair, or <see cref="ClientOrderId.None"/>.</summary>
    public ClientOrderId OcoPartner { get; init; }

    public string Symbol { get; }

    public OrderSide Side { get; }

    public OrderType Type { get; }

    /// <summary>Ordered base quantity; for a quote-sized market order it is zero until the fill fixes it.</summary>
    public decimal Quantity { get; private set; }

    public decimal Price { get; }

    public decimal StopPrice { get; }

    public decimal QuoteQuantity { get; }

    public TimeInForce TimeInForce { get; }

    public string? Tag { get; }

    public long CreatedTime { get; }

    public long LastUpdateTime { get; private set; }

    public OrderStatus Status { get; private set; }

    public decimal FilledQuantity { get; private set; }

    /// <summary>Volume-weighted average fill price; zero before the first fill.</summary>
    public decimal AveragePrice { get; private set; }

    /// <summary>Commission so far, valued in the quote asset (<see cref="Fill.FeeInQuote"/>).</summary>
    public decimal FeesPaid { get; private set; }

    /// <summary>Why the order was rejected, canceled or expired, when known.</summary>
    public string? Reason { get; private set; }

    /// <summary>Still working: New or PartiallyFilled.</summary>
    public bool IsOpen => Status is OrderStatus.New or OrderStatus.PartiallyFilled;

    public decimal RemainingQuantity => Quantity - FilledQuantity;

    /// <summary>True when the state machine allows <paramref name="from"/> → <paramref name="to"/>.</summary>
    public static bool CanTransition(OrderStatus from, OrderStatus to) => (from, to) switch
    {
        (OrderStatus.New, OrderStatus.PartiallyFilled or OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected or OrderStatus.Expired) => true,
        (OrderStatus.PartiallyFilled, OrderStatus.PartiallyFilled or OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Expired) => true,
        _ => false,
    };

    /// <summary>
    /// Records a fill. For a quote-sized market order (<see cref="Quantity"/> zero) the first fill fixes the quantity.
    /// Throws when the fill exceeds the remaining quantity or the order is not open.
    /// </summary>
    public void ApplyFill(in Fill fill)
    {
        Quantity = OrderLifecycle.QuantityForFill(Id, Quantity, QuoteQuantity, FilledQuantity, fill.Quantity);
        var next = OrderLifecycle.Advance(Id, Status, Quantity, FilledQuantity, AveragePrice, FeesPaid, fill.Quantity, fill.Price, fill.FeeInQuote);
        Status = next.Status;
        LastUpdateTime = fill.Time;
        AveragePrice = next.AveragePrice;
        FilledQuantity = next.FilledQuantity;
        FeesPaid = next.FeesPaid;
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

    /// <summary>The order as it stands now, by value (what strategies see).</summary>
    public OrderView View() => new(
        Id, Side, Type, Status, TimeInForce, Quantity, Price, StopPrice, QuoteQuantity, FilledQuantity, AveragePrice,
        FeesPaid, CreatedTime, LastUpdateTime, Tag, Reason, OcoPartner);

    public override string ToString() =>
        $"{Id} {Side} {Type} {Quantity}@{(Type == OrderType.StopMarket ? StopPrice : Price)} {Status} filled {FilledQuantity}";

    private void MoveTo(OrderStatus next, long time)
    {
        OrderLifecycle.EnsureTransition(Id, Status, next);
        Status = next;
        LastUpdateTime = time;
    }
}
