namespace Trading.Sim.Matching;

/// <summary>One asset's balance.</summary>
internal readonly record struct BalanceSnapshot(string Asset, decimal Free, decimal Locked);
