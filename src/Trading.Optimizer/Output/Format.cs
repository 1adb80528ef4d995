using System.Globalization;

namespace Trading.Optimizer.Output;

/// <summary>Invariant, round-trippable number text for files: <c>R</c> format, and <c>inf</c>/<c>-inf</c>/<c>nan</c> for non-finite values.</summary>
internal static class Format
{
    public static string Number(double v) =>
        double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : double.IsNaN(v) ? "nan" : v.ToString("R", CultureInfo.InvariantCulture);
}
