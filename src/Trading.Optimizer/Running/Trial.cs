using Trading.Core.Strategies;

namespace Trading.Optimizer.Running;

/// <summary>
/// One completed run: its position in proposal order (<see cref="Index"/>, the row number whatever thread ran it), its
/// parameters, what the evaluation returned and its score (higher is better; null when discarded, e.g. too few trades).
/// </summary>
public readonly record struct Trial<T>(int Index, ParameterSet Parameters, T Result, double? Score)
{
    public bool Kept => Score is not null;
}
