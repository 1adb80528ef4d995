using Trading.Core.Orders;

namespace Trading.Sim.Matching;

/// <summary>
/// An order inside the simulator's engine. Mutable, owned by <see cref="MatchingEngine"/> and touched only under the
/// exchange lock; everything that leaves the engine is a <see cref="OrderSnapshot"/>.
/// <see cref="Locked"/> is what the order still holds: quote (price × qty plus the worst-case fee) for a BUY, base for a SELL.
/// </summary>
internal sealed class SimOrder
{
    public required long OrderId { get; init; }

    public required string ClientOrderId { get; set; }

    public required OrderSide Side { get; init; }

    public required OrderType Type { get; init; }

    /// <summary>LIMIT_MAKER: a post-only limit order.</summary>
    public bool PostOnly { get; init; }

    public TimeInForce TimeInForce { get; init; }

    public decimal Price { get; init; }

    public decimal OrigQty { get; set; }

    public decimal OrigQuoteQty { get; init; }

    public decimal ExecutedQty { get; set; }

    public decimal CumQuote { get; set; }

    public OrderStatus Status { get; set; }

    public long Time { get; init; }

    public long UpdateTime { get; set; }

    /// <summary>When the order started working on the book; -1 when it never did.</summary>
    public long WorkingTime { get; set; } = -1;

    public decimal Locked { get; set; }

    /// <summary>Rested on the book (a LIMIT that did not trade at once): executionReport <c>w</c>/<c>W</c>.</summary>
    public bool OnBook { get; set; }

    public long Sequence { get; init; }

    public string? ExpiryReason { get; set; }

    /// <summary>Conditional orders: the trigger, its stop price, and whether it has triggered (then it works as
    /// <see cref="Type"/>).</summary>
    public TriggerKind Trigger { get; init; }

    public decimal StopPrice { get; init; }

    public bool Triggered { get; set; }

    /// <summary>The OCO order list it belongs to (-1: none) and the other order of the pair.</summary>
    public long OrderListId { get; set; } = -1;

    public SimOrder? Sibling { get; set; }

    public string? ListClientOrderId { get; set; }

    /// <summary>Able to trade: not a conditional order waiting for its trigger.</summary>
    public bool IsWorking => Trigger == TriggerKind.None || Triggered;

    public decimal Remaining => OrigQty - ExecutedQty;

    public bool IsOpen => Status is OrderStatus.New or OrderStatus.PartiallyFilled;

    public OrderSnapshot Snapshot() => new(OrderId, ClientOrderId, Side, Type, PostOnly, TimeInForce, Price, OrigQty,
        OrigQuoteQty, ExecutedQty, CumQuote, Status, Time, UpdateTime, WorkingTime, ExpiryReason, OnBook, Trigger, StopPrice, OrderListId);
}
