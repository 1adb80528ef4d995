using Trading.Core.Strategies;
using Trading.Optimizer.Backtesting;

namespace Trading.Study;

/// <summary>A finished trial as stored: its number (= the single-process index), batch, point, score and metrics.</summary>
internal sealed record StoredTrial(int TrialId, int Number, int Batch, ParameterSet Parameters, double? Score, RunMetrics? Metrics);
