namespace Trading.Live.Reconcile;

/// <summary>
/// What to ask the venue after loading a journal: <c>order.status</c> for every client id in <see cref="ToQuery"/>
/// (every journalled order not known to be final), <c>openOrders.status</c>, the account's trades from
/// <see cref="FromTradeId"/> (myTrades <c>fromId</c>; from <see cref="SinceTime"/> when the journal has no trade), and
/// the balances.
/// </summary>
public sealed record ReconcilePlan(IReadOnlyList<string> ToQuery, long FromTradeId, long SinceTime);
