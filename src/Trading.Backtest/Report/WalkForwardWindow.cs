namespace Trading.Backtest.Report;

/// <summary>
/// One walk-forward step: the parameters chosen on the in-sample span, and how they scored there and on the
/// out-of-sample span that follows. Times are UTC milliseconds, ends exclusive.
/// </summary>
public sealed record WalkForwardWindow(
    long InSampleStart,
    long InSampleEnd,
    long OutOfSampleStart,
    long OutOfSampleEnd,
    IReadOnlyList<double> BestParameters,
    double InSampleObjective,
    double OutOfSampleObjective,
    RunSummary InSample,
    RunSummary OutOfSample);
