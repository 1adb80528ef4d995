namespace Trading.Optimizer.Objectives;

/// <summary>What an optimisation maximises (<see cref="MaxDrawdown"/> is minimised).</summary>
public enum Objective : byte
{
    Sharpe,
    Sortino,
    Calmar,
    Return,
    ProfitFactor,
    MaxDrawdown,
    WinRate,
}
