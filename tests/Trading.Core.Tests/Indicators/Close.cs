namespace Trading.Core.Tests.Indicators;

/// <summary>Comparisons to a relative tolerance (1e-9 unless told), NaN matching NaN.</summary>
internal static class Close
{
    public const double Relative = 1e-9;

    /// <summary>
    /// |actual − expected| ≤ rel · |expected|: purely relative, also for values near zero (MACD and its histogram
    /// crossing zero, %K at the window's low), which is where a sloppy implementation would show.
    /// </summary>
    public static void Assert(double expected, double actual, string what, double rel = Relative)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            Xunit.Assert.True(double.IsNaN(expected) && double.IsNaN(actual), $"{what}: expected {expected:R}, got {actual:R}");
            return;
        }

        var tolerance = rel * Math.Abs(expected);
        Xunit.Assert.True(Math.Abs(actual - expected) <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (|diff| {Math.Abs(actual - expected):R} > {tolerance:R})");
    }
}
