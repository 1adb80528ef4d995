namespace Trading.Sim.Matching;

/// <summary>
/// What the engine tells the account's user-data subscribers: an execution report (<see cref="Report"/> set), a
/// balance update (<see cref="Balances"/> set) or an order list's status (<see cref="List"/> set).
/// </summary>
internal sealed record UserEvent(long Time, ExecutionReport? Report, IReadOnlyList<BalanceSnapshot>? Balances, OrderListEvent? List = null);
