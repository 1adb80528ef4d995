using Trading.Backtest.Metrics;
using Trading.Core.Strategies;
using Trading.Optimizer.Backtesting;

namespace Trading.Optimizer.WalkForward;

/// <summary>
/// One window's outcome: the in-sample winner and its in-sample metrics, and the same parameters' out-of-sample
/// metrics. <see cref="Best"/> is null when no in-sample run was kept (e.g. all below <c>--min-trades</c>).
/// </summary>
public sealed record WindowResult(
    WalkForwardWindow Window,
    int Runs,
    ParameterSet? Best,
    RunMetrics? InSample,
    BacktestMetrics? OutOfSample,
    string? OutOfSampleOrderListHash,
    double? InSampleValue,
    double? OutOfSampleValue)
{
    /// <summary>Out-of-sample / in-sample value of the objective (see <see cref="WalkForwardReport"/>); null when undefined.</summary>
    public double? Ratio => InSampleValue is double i && OutOfSampleValue is double o && i != 0 && double.IsFinite(i) && double.IsFinite(o) ? o / i : null;
}
