namespace Trading.Sim.Matching;

/// <summary>
/// What the engine tells the account's user-data subscribers: an execution report (<see cref="Report"/> set) or a
/// balance update (<see cref="Balances"/> set).
/// </summary>
internal sealed record UserEvent(long Time, ExecutionReport? Report, IReadOnlyList<BalanceSnapshot>? Balances);
