namespace Trading.Live.Reconcile;

/// <summary>
/// What the venue answered when asked, at <see cref="Time"/> (venue ms), for reconciliation: the open orders, the
/// answer to <c>order.status</c> for each client id of <see cref="ReconcilePlan.ToQuery"/> (<see cref="Queried"/> when
/// found, <see cref="NotFound"/> on −2013), the trades since the plan's first trade id, and the balances.
/// </summary>
public sealed record VenueView(
    long Time,
    IReadOnlyList<VenueOrderState> OpenOrders,
    IReadOnlyList<VenueOrderState> Queried,
    IReadOnlyList<string> NotFound,
    IReadOnlyList<VenueTrade> Trades,
    VenueBalances Balances);
