namespace Quant.Bench.EventLoopBench;

/// <summary>Nearest-rank percentiles of recorded samples (sorted in place).</summary>
internal static class Percentiles
{
    public static double Of(Span<double> samples, double p)
    {
        if (samples.Length == 0)
        {
            return double.NaN;
        }

        samples.Sort();
        int rank = (int)Math.Ceiling(p / 100.0 * samples.Length);
        return samples[Math.Clamp(rank - 1, 0, samples.Length - 1)];
    }
}
