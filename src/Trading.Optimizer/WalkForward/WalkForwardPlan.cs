namespace Trading.Optimizer.WalkForward;

/// <summary>
/// Rolling windows over N candles: K test segments of equal length T laid end to end at the end of the data, each
/// preceded by a training segment of length L = round(T·r/(1−r)) (r = train ratio), so window k trains on
/// [k·T, k·T+L) and tests on [k·T+L, (k+1)·T+L). Then L + K·T ≤ N; T = ⌊N / (K + r/(1−r))⌋, and any leftover
/// candles (fewer than one segment) are dropped from the start. Test segments do not overlap, so they stitch into one
/// out-of-sample curve.
/// </summary>
public static class WalkForwardPlan
{
    /// <summary>Fewest candles a training or test segment may have.</summary>
    public const int MinSegment = 10;

    public static IReadOnlyList<WalkForwardWindow> Create(int candles, int windows, double trainRatio)
    {
        if (windows < 1)
        {
            throw new OptimizerException($"--walk-forward needs at least 1 window, got {windows}");
        }

        if (!(trainRatio > 0 && trainRatio < 1))
        {
            throw new OptimizerException($"--train-ratio must be between 0 and 1 (exclusive), got {trainRatio}");
        }

        var k = trainRatio / (1 - trainRatio);
        var test = (int)Math.Floor(candles / (windows + k));
        var train = (int)Math.Round(test * k, MidpointRounding.AwayFromZero);
        while (train + (windows * test) > candles && train > 0)
        {
            train--;
        }

        if (test < MinSegment || train < MinSegment)
        {
            throw new OptimizerException(
                $"--walk-forward {windows} with --train-ratio {trainRatio} over {candles} candles gives segments of {train} training and {test} test candles; at least {MinSegment} each are needed");
        }

        var offset = candles - (train + (windows * test));
        var result = new WalkForwardWindow[windows];
        for (var w = 0; w < windows; w++)
        {
            var start = offset + (w * test);
            result[w] = new WalkForwardWindow(w, start, train, start + train, test);
        }

        return result;
    }
}
