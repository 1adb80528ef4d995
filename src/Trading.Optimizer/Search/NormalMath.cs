namespace Trading.Optimizer.Search;

/// <summary>
/// The standard normal distribution in log space, for the Parzen estimators. .NET has no erf, so the complementary
/// error function uses the Chebyshev fit of Numerical Recipes (erfcc, fractional error below 1.2e-7 everywhere),
/// whose form <c>t·exp(−z² + poly(t))</c> also gives log erfc without underflow far in the tails.
/// </summary>
internal static class NormalMath
{
    private const double LogHalf = -0.69314718055994530942;
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double LogSqrt2Pi = 0.91893853320467274178;

    /// <summary>log erfc(z) for z ≥ 0.</summary>
    public static double LogErfc(double z)
    {
        var t = 1.0 / (1.0 + (0.5 * z));
        var poly = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        return Math.Log(t) - (z * z) + poly;
    }

    /// <summary>log Φ(x), accurate in the lower tail.</summary>
    public static double LogCdf(double x)
    {
        if (x < 0)
        {
            return LogHalf + LogErfc(-x * InvSqrt2);
        }

        // Φ(x) = 1 − ½·erfc(x/√2), close to 1: log1p keeps the precision.
        return Math.Log(1.0 - (0.5 * Math.Exp(LogErfc(x * InvSqrt2))));
    }

    /// <summary>Φ(x).</summary>
    public static double Cdf(double x) => x < 0 ? 0.5 * Math.Exp(LogErfc(-x * InvSqrt2)) : 1.0 - (0.5 * Math.Exp(LogErfc(x * InvSqrt2)));

    /// <summary>log φ(x).</summary>
    public static double LogPdf(double x) => (-0.5 * x * x) - LogSqrt2Pi;

    /// <summary>log(Φ(b) − Φ(a)) for a &lt; b, computed on the side of zero that avoids cancellation.</summary>
    public static double LogMass(double a, double b)
    {
        if (b <= 0)
        {
            return LogDiff(LogCdf(b), LogCdf(a));
        }

        if (a >= 0)
        {
            return LogDiff(LogCdf(-a), LogCdf(-b));
        }

        return Math.Log(1.0 - Cdf(a) - Cdf(-b));
    }

    /// <summary>log(e^x − e^y) for x ≥ y.</summary>
    private static double LogDiff(double x, double y) =>
        double.IsNegativeInfinity(y) ? x : x + Math.Log(-ExpM1(y - x));

    /// <summary>e^d − 1, with a series near zero where the subtraction would cancel.</summary>
    private static double ExpM1(double d) =>
        Math.Abs(d) < 1e-5 ? d + (d * d / 2) + (d * d * d / 6) : Math.Exp(d) - 1.0;

    /// <summary>log(Σ e^v) without overflow.</summary>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        var sum = 0.0;
        foreach (var v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>A standard normal draw (Box–Muller on two uniforms from <paramref name="rng"/>).</summary>
    public static double Sample(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
