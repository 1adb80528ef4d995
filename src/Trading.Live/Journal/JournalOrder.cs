using Trading.Core.Orders;
using Trading.Live.Orders;

namespace Trading.Live.Journal;

/// <summary>
/// One intent as the journal last knew it. <see cref="SentRequestId"/> 0 means the request was never recorded as sent
/// (it may still have left: the send record is written after the socket write); <see cref="FilledQuantity"/> is the
/// sum of its journalled fills, <see cref="VenueExecutedQuantity"/> what the venue last said it had executed.
/// </summary>
public sealed record JournalOrder(
    string ClientOrderId,
    long Created,
    OrderSide Side,
    OrderType Type,
    TimeInForce TimeInForce,
    decimal Quantity,
    decimal Price,
    decimal StopPrice,
    decimal QuoteQuantity,
    string? Tag,
    LiveOrderState State,
    long VenueOrderId,
    decimal VenueExecutedQuantity,
    long SentRequestId,
    long Updated,
    string? Reason,
    decimal FilledQuantity)
{
    public bool IsFinal => State is LiveOrderState.Filled or LiveOrderState.Canceled or LiveOrderState.Rejected or LiveOrderState.Expired;
}
