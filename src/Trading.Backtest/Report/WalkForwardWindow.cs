namespace Trading.Backtest.Report;

/// <summary>
/// One walk-forward step: the parameters chosen on the in-sample span, and how they scored there and on the
/// out-of-sample span that follows. Times are UTC milliseconds, ends exclusive. A window where no in-sample run
/// qualified has empty <see cref="BestParameters"/>, non-finite objectives and null summaries.
/// </summary>
public sealed record WalkForwardWindow(
    long InSampleStart,
    long InSampleEnd,
    long OutOfSampleStart,
    long OutOfSampleEnd,
    IReadOnlyList<double> BestParameters,
    double InSampleObjective,
    double OutOfSampleObjective,
    RunSummary? InSample,
    RunSummary? OutOfSample);
