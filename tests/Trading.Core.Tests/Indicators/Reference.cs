namespace Trading.Core.Tests.Indicators;

/// <summary>
/// Obviously-correct reference computations, straight from the textbook definitions: every window is recomputed from
/// scratch at every point (O(n) per point), recursions are written out over whole arrays, and nothing is shared with
/// the streaming implementations under test. NaN marks "no value yet". Indices are 0-based.
/// </summary>
internal static class Reference
{
    public static double[] Sma(double[] x, int n)
    {
        var r = Nan(x.Length);
        for (var t = n - 1; t < x.Length; t++)
        {
            r[t] = Mean(x, t - n + 1, n);
        }

        return r;
    }

    /// <summary>EMA with α = 2/(n+1), first value at <paramref name="first"/> = mean of the n values ending there.</summary>
    public static double[] Ema(double[] x, int n, int first)
    {
        var r = Nan(x.Length);
        if (first >= x.Length)
        {
            return r;
        }

        var alpha = 2.0 / (n + 1);
        r[first] = Mean(x, first - n + 1, n);
        for (var t = first + 1; t < x.Length; t++)
        {
            r[t] = r[t - 1] + (alpha * (x[t] - r[t - 1]));
        }

        return r;
    }

    public static double[] Rsi(double[] x, int n)
    {
        var r = Nan(x.Length);
        if (x.Length <= n)
        {
            return r;
        }

        double G(int t) => Math.Max(x[t] - x[t - 1], 0);
        double L(int t) => Math.Max(x[t - 1] - x[t], 0);
        double ag = 0, al = 0;
        for (var t = 1; t <= n; t++)
        {
            ag += G(t);
            al += L(t);
        }

        ag /= n;
        al /= n;
        for (var t = n; t < x.Length; t++)
        {
            if (t > n)
            {
                ag = ((ag * (n - 1)) + G(t)) / n;
                al = ((al * (n - 1)) + L(t)) / n;
            }

            r[t] = al == 0 ? 100 : 100 - (100 / (1 + (ag / al)));
        }

        return r;
    }

    /// <summary>MACD line, signal, histogram. <paramref name="taLib"/>: the fast EMA's first value is on bar slow−1 too.</summary>
    public static (double[] Line, double[] Signal, double[] Hist) Macd(double[] x, int fast, int slow, int signal, bool taLib)
    {
        var f = Ema(x, fast, taLib ? slow - 1 : fast - 1);
        var s = Ema(x, slow, slow - 1);
        var line = Nan(x.Length);
        for (var t = slow - 1; t < x.Length; t++)
        {
            line[t] = f[t] - s[t];
        }

        var sig = Nan(x.Length);
        var hist = Nan(x.Length);
        if (x.Length >= slow)
        {
            var tail = Ema(line[(slow - 1)..], signal, signal - 1);
            for (var i = 0; i < tail.Length; i++)
            {
                sig[slow - 1 + i] = tail[i];
                hist[slow - 1 + i] = line[slow - 1 + i] - tail[i];
            }
        }

        return (line, sig, hist);
    }

    public static double[] StdDev(double[] x, int n, bool sample)
    {
        var r = Nan(x.Length);
        for (var t = n - 1; t < x.Length; t++)
        {
            var m = Mean(x, t - n + 1, n);
            var ss = 0.0;
            for (var i = t - n + 1; i <= t; i++)
            {
                ss += (x[i] - m) * (x[i] - m);
            }

            r[t] = Math.Sqrt(ss / (sample ? n - 1 : n));
        }

        return r;
    }

    public static double[] Atr(double[] h, double[] l, double[] c, int n)
    {
        var r = Nan(c.Length);
        if (c.Length <= n)
        {
            return r;
        }

        double Tr(int t) => Math.Max(h[t] - l[t], Math.Max(Math.Abs(h[t] - c[t - 1]), Math.Abs(l[t] - c[t - 1])));
        var sum = 0.0;
        for (var t = 1; t <= n; t++)
        {
            sum += Tr(t);
        }

        r[n] = sum / n;
        for (var t = n + 1; t < c.Length; t++)
        {
            r[t] = ((r[t - 1] * (n - 1)) + Tr(t)) / n;
        }

        return r;
    }

    public static (double[] K, double[] D) Stochastic(double[] h, double[] l, double[] c, int n, int m, int s)
    {
        var raw = Nan(c.Length);
        for (var t = n - 1; t < c.Length; t++)
        {
            double hh = double.MinValue, ll = double.MaxValue;
            for (var i = t - n + 1; i <= t; i++)
            {
                hh = Math.Max(hh, h[i]);
                ll = Math.Min(ll, l[i]);
            }

            raw[t] = hh == ll ? 0 : 100 * (c[t] - ll) / (hh - ll);
        }

        var k = Nan(c.Length);
        for (var t = n - 1 + s - 1; t < c.Length; t++)
        {
            k[t] = Mean(raw, t - s + 1, s);
        }

        var d = Nan(c.Length);
        for (var t = n - 1 + s - 1 + m - 1; t < c.Length; t++)
        {
            d[t] = Mean(k, t - m + 1, m);
        }

        return (k, d);
    }

    private static double Mean(double[] x, int start, int count)
    {
        var sum = 0.0;
        for (var i = start; i < start + count; i++)
        {
            sum += x[i];
        }

        return sum / count;
    }

    private static double[] Nan(int length)
    {
        var r = new double[length];
        Array.Fill(r, double.NaN);
        return r;
    }
}
