using Trading.Core.Orders;

namespace Trading.Live.Binance;

/// <summary>
/// An order as the venue states it in an API result (order.place RESULT, order.cancel, order.status, openOrders.status;
/// binance.md §2.3–2.5). <see cref="Sequence"/> is this run's sequence number of <c>clientOrderId</c> (0 when foreign);
/// for a cancel, <see cref="OriginalSequence"/> is the canceled order's (<c>origClientOrderId</c>).
/// </summary>
public struct VenueOrder
{
    public long OrderId;
    public long Sequence;
    public long OriginalSequence;
    public VenueOrderStatus Status;
    public OrderSide Side;
    public decimal Price;
    public decimal OriginalQuantity;
    public decimal ExecutedQuantity;
    public decimal CumulativeQuote;

    /// <summary><c>transactTime</c> (place, cancel) or <c>updateTime</c> (status).</summary>
    public long Time;

    public readonly long OrderSequence => OriginalSequence != 0 ? OriginalSequence : Sequence;
}
