using Trading.Core.Strategies;

namespace Trading.Study;

/// <summary>A trial this worker moved from WAITING to RUNNING: its row id, number and point.</summary>
public sealed record ClaimedTrial(int TrialId, int Number, ParameterSet Parameters);
