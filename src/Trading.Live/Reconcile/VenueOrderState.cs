using Trading.Core.Orders;
using Trading.Live.Binance;

namespace Trading.Live.Reconcile;

/// <summary>
/// An order as the venue reports it to reconciliation (openOrders.status, order.status by client id), keyed by its
/// client order id string: reconciliation spans runs, so this run's sequence numbers do not apply.
/// </summary>
public sealed record VenueOrderState(
    string ClientOrderId,
    long OrderId,
    VenueOrderStatus Status,
    OrderSide Side,
    decimal Price,
    decimal OriginalQuantity,
    decimal ExecutedQuantity,
    long UpdateTime);
