using Trading.Optimizer.Objectives;

namespace Trading.Optimizer.WalkForward;

/// <summary>
/// The walk-forward outcome. Values compared in and out of sample are the objective's metric, except that
/// <see cref="Objective.Return"/> compares annualised returns (CAGR), because training segments are longer than test
/// segments. <see cref="OverfittingRatio"/> = mean out-of-sample value / mean in-sample value over windows with a
/// winner: near 1, the in-sample edge carried over; near 0 or negative, it was fitted noise. For max-drawdown a
/// ratio above 1 means deeper drawdowns out of sample. The stitched curve chains the test segments: each segment's
/// equity is scaled so that it starts where the previous one ended (compounding), starting from the initial cash.
/// </summary>
public sealed class WalkForwardReport
{
    public required Objective Objective { get; init; }

    public required IReadOnlyList<WindowResult> Windows { get; init; }

    /// <summary>Close time of each out-of-sample candle, in order.</summary>
    public required long[] StitchedTimes { get; init; }

    public required double[] StitchedEquity { get; init; }

    public required double InitialCash { get; init; }

    public required bool Canceled { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public int Runs => Windows.Sum(w => w.Runs);

    /// <summary>Total return of the stitched out-of-sample curve, %.</summary>
    public double StitchedReturnPct => StitchedEquity.Length == 0 ? 0 : ((StitchedEquity[^1] / InitialCash) - 1) * 100;

    public double? OverfittingRatio
    {
        get
        {
            var pairs = Windows.Where(w => w.InSampleValue is not null && w.OutOfSampleValue is not null).ToArray();
            if (pairs.Length == 0)
            {
                return null;
            }

            var inSample = pairs.Average(w => w.InSampleValue!.Value);
            var outSample = pairs.Average(w => w.OutOfSampleValue!.Value);
            return inSample != 0 && double.IsFinite(inSample) && double.IsFinite(outSample) ? outSample / inSample : null;
        }
    }
}
