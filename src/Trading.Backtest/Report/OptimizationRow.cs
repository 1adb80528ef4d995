namespace Trading.Backtest.Report;

/// <summary>One evaluated parameter set: its values (in <see cref="OptimizationReport.ParameterNames"/> order), the
/// objective it scored (may be non-finite: it is then shown as n/a and left out of the heat map) and key metrics.</summary>
public sealed record OptimizationRow(IReadOnlyList<double> Parameters, double Objective, RunSummary Metrics);
