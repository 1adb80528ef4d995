using Trading.Core.Strategies;

namespace Trading.Optimizer.Running;

/// <summary>What a search learns from a finished run: the point and its score (null: discarded, ranks below every score).</summary>
public readonly record struct ScoredPoint(int Index, ParameterSet Parameters, double? Score);
