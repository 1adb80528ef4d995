using Trading.Core.Orders;

namespace Trading.Backtest.Engine;

/// <summary>
/// A reusable order slot of one backtest: the state of an <see cref="Order"/>, moved by the same rules
/// (<see cref="OrderLifecycle"/>: legal transitions only, a quote-sized order's quantity fixed by its fill, the average
/// price, fees at their quote value), so that its <see cref="View"/> is the one an <see cref="Order"/> would give. <see cref="BacktestRun"/> recycles a slot
/// once its order has left the book, so orders cost no allocation in steady state. Trap: a slot is recycled only
/// outside every strategy callback (see <see cref="BacktestRun"/>), so it may be reused from the strategy's next
/// callback on: code handling an order may keep its reference until the current callback chain returns, never longer.
/// </summary>
internal sealed class BacktestOrder
{
    public ClientOrderId Id { get; private set; }

    public ClientOrderId OcoPartner { get; private set; }

    public OrderSide Side { get; private set; }

    public OrderType Type { get; private set; }

    /// <summary>Ordered base quantity; for a quote-sized market order it is zero until the fill fixes it.</summary>
    public decimal Quantity { get; private set; }

    public decimal Price { get; private set; }

    public decimal StopPrice { get; private set; }

    public decimal QuoteQuantity { get; private set; }

    public TimeInForce TimeInForce { get; private set; }

    public string? Tag { get; private set; }

    public long CreatedTime { get; private set; }

    public long LastUpdateTime { get; private set; }

    public OrderStatus Status { get; private set; }

    public decimal FilledQuantity { get; private set; }

    public decimal AveragePrice { get; private set; }

    public decimal FeesPaid { get; private set; }

    public string? Reason { get; private set; }

    public bool IsOpen => Status is OrderStatus.New or OrderStatus.PartiallyFilled;

    /// <summary>
    /// Quantity − FilledQuantity. A New order's filled quantity is <see cref="Reset"/>'s zero (scale 0, no sign), and
    /// x − 0 is x to the bit (<see cref="Results.DecimalParts.LeavesUnchanged"/>), so a New order's is its quantity.
    /// </summary>
    public decimal RemainingQuantity => Status == OrderStatus.New ? Quantity : Quantity - FilledQuantity;

    /// <summary>Makes this slot a new order (status New), as <c>new Order(id, symbol, request, createdTime) { OcoPartner }</c>.</summary>
    /// <param name="quantity">The request's quantity rounded down to the lot step.</param>
    public BacktestOrder Reset(ClientOrderId id, in OrderRequest request, decimal quantity, long createdTime, ClientOrderId ocoPartner)
    {
        Id = id;
        OcoPartner = ocoPartner;
        Side = request.Side;
        Type = request.Type;
        Quantity = quantity;
        Price = request.Price;
        StopPrice = request.StopPrice;
        QuoteQuantity = request.QuoteQuantity;
        TimeInForce = request.TimeInForce;
        Tag = request.Tag;
        CreatedTime = createdTime;
        LastUpdateTime = createdTime;
        Status = OrderStatus.New;
        FilledQuantity = 0;
        AveragePrice = 0;
        FeesPaid = 0;
        Reason = null;
        return this;
    }

    /// <summary>
    /// <see cref="Order.ApplyFill"/>: the same checks and the same arithmetic. The first fill of an order (in the
    /// backtest its only one: fills are complete) takes <see cref="OrderLifecycle"/>'s steps inline with what a New
    /// order holds substituted — the zero filled quantity, average price and fees <see cref="Reset"/> set — so without
    /// the remaining quantity's subtraction, two tests of that zero and two calls passing nine decimals by value; the
    /// sums it keeps are the shared code's own expressions. Anything that would throw goes the shared way, which throws.
    /// </summary>
    public void ApplyFill(in FillAmounts fill)
    {
        // decimal.Sign: the sign tests read from the bits (the operators with 0m are general comparisons).
        if (Status == OrderStatus.New && decimal.Sign(fill.Quantity) > 0)
        {
            // OrderLifecycle.QuantityForFill and Advance with FilledQuantity = AveragePrice = FeesPaid = 0.
            var quantity = decimal.Sign(Quantity) == 0 && decimal.Sign(QuoteQuantity) > 0 ? fill.Quantity : Quantity;
            var filling = fill.Quantity;

            // The fill's quantity is the order's to the bit in the usual case (a complete fill): then it is neither
            // more than it nor short of it, without the two comparisons.
            var whole = Results.DecimalParts.SameBits(in filling, in quantity);
            if (whole || filling <= quantity)
            {
                // FilledQuantity + q and FeesPaid + fee with Reset's zeros (scale 0, no sign): 0 + x is x to the bit for
                // any x (decimal's addition returns the non-zero side, or at equal scales adds a zero mantissa).
                var filled = fill.Quantity;
                Quantity = quantity;
                Status = whole || filled == quantity ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
                LastUpdateTime = fill.Time;
                AveragePrice = fill.Price;
                FilledQuantity = filled;
                FeesPaid = fill.FeeInQuote;
                return;
            }
        }

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

    /// <summary>Rejects the order; <paramref name="reason"/> null when the rejected list formats it later (<see cref="RejectedLog"/>).</summary>
    public void Reject(long time, string? reason)
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
