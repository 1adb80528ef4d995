namespace Trading.Core.Tests.Indicators;

/// <summary>Comparisons to a relative tolerance (1e-9 unless told), NaN matching NaN.</summary>
internal static class Close
{
    public const double Relative = 1e-9;

    /// <summary>
    /// |actual − expected| ≤ rel · max(|expected|, floor). <paramref name="floor"/> is the scale below which the
    /// comparison becomes absolute: needed only for quantities that are differences of large numbers and cross zero
    /// (MACD, histogram), whose rounding error is set by the price level, not by their own size.
    /// </summary>
    public static void Assert(double expected, double actual, string what, double rel = Relative, double floor = 0)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            Xunit.Assert.True(double.IsNaN(expected) && double.IsNaN(actual), $"{what}: expected {expected:R}, got {actual:R}");
            return;
        }

        var tolerance = rel * Math.Max(Math.Abs(expected), floor);
        Xunit.Assert.True(Math.Abs(actual - expected) <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (|diff| {Math.Abs(actual - expected):R} > {tolerance:R})");
    }
}
