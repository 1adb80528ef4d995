namespace Trading.Sim.Matching;

/// <summary>A <c>listStatus</c> event of an OCO order list: its status type and order status (EXEC_STARTED/EXECUTING,
/// then ALL_DONE/ALL_DONE), and its two orders (id, client id).</summary>
internal sealed record OrderListEvent(long OrderListId, string ListClientOrderId, string StatusType, string OrderStatus, long TransactionTime,
    IReadOnlyList<(long OrderId, string ClientOrderId)> Orders);
