namespace Trading.Optimizer.Search;

/// <summary>
/// A Parzen estimator over a range axis of <c>n</c> equally spaced values, modelled in index space 0…n−1 (the axis is
/// an affine image of it, and the estimator is affine-invariant). A mixture of one Gaussian per observation plus a
/// prior Gaussian (centre of the range, σ = the range's width, weight 1), each truncated to the domain
/// [−½, n−½] and discretised: value j has the mass of [j−½, j+½]. Bandwidths as Optuna's univariate TPE: each
/// component's σ is the larger distance to its sorted neighbours (domain ends count as neighbours; the two extreme
/// observations use their inner neighbour only), clipped to [width / min(100, 1 + m), width].
/// <para>
/// <see cref="LogProbability"/> costs one truncated-normal mass per component (O(m)), and a TPE proposal asks for it
/// for every candidate (24 by default) on every axis, from both estimators: on axes of up to
/// <see cref="MaxMemoized"/> values each index's answer is kept the first time (the same value on every later call:
/// the estimator is immutable), so a batch pays at most once per index.
/// </para>
/// </summary>
internal sealed class NumericParzen
{
    private readonly double[] _mu;
    private readonly double[] _sigma;
    private readonly double[] _logWeight;
    private readonly double[] _logNorm;
    private readonly double[] _cumulative;
    private readonly double _low;
    private readonly double _high;
    private readonly int _count;

    /// <summary>The largest axis whose answers are kept (a double and a flag per value, per estimator, per batch).</summary>
    internal const int MaxMemoized = 4096;

    /// <summary>Per index: its log-probability once <see cref="_known"/> says so; null on a larger axis.</summary>
    private readonly double[]? _logProbability;
    private readonly bool[]? _known;

    /// <param name="count">Values on the axis.</param>
    /// <param name="observations">Observed indices, oldest first.</param>
    /// <param name="weights">Their weights, same order.</param>
    public NumericParzen(int count, ReadOnlySpan<double> observations, ReadOnlySpan<double> weights)
    {
        _count = count;
        _low = -0.5;
        _high = count - 0.5;
        var width = _high - _low;
        var m = observations.Length;
        var k = m + 1;
        _mu = new double[k];
        _sigma = new double[k];
        var w = new double[k];
        observations.CopyTo(_mu);
        weights.CopyTo(w);
        _mu[m] = 0.5 * (_low + _high);
        w[m] = 1.0;

        var order = Enumerable.Range(0, k).ToArray();
        Array.Sort(order, (a, b) => _mu[a] != _mu[b] ? _mu[a].CompareTo(_mu[b]) : a.CompareTo(b));
        var minSigma = width / Math.Min(100.0, 1.0 + k);
        for (var r = 0; r < k; r++)
        {
            var c = order[r];
            var left = _mu[c] - (r == 0 ? _low : _mu[order[r - 1]]);
            var right = (r == k - 1 ? _high : _mu[order[r + 1]]) - _mu[c];
            var s = k >= 2 && r == 0 ? right : k >= 2 && r == k - 1 ? left : Math.Max(left, right);
            _sigma[c] = Math.Clamp(s, minSigma, width);
        }

        _sigma[m] = width;

        var total = 0.0;
        foreach (var x in w)
        {
            total += x;
        }

        _logWeight = new double[k];
        _logNorm = new double[k];
        _cumulative = new double[k];
        var acc = 0.0;
        for (var c = 0; c < k; c++)
        {
            _logWeight[c] = Math.Log(w[c] / total);
            _logNorm[c] = NormalMath.LogMass((_low - _mu[c]) / _sigma[c], (_high - _mu[c]) / _sigma[c]);
            acc += w[c] / total;
            _cumulative[c] = acc;
        }

        if (count <= MaxMemoized)
        {
            _logProbability = new double[count];
            _known = new bool[count];
        }
    }

    /// <summary>Draws an index: a component by weight, then its truncated normal, rounded to the nearest value.</summary>
    public int Sample(Random rng)
    {
        var u = rng.NextDouble();
        var c = Array.BinarySearch(_cumulative, u);
        c = c < 0 ? Math.Min(~c, _cumulative.Length - 1) : c;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var x = _mu[c] + (_sigma[c] * NormalMath.Sample(rng));
            if (x >= _low && x < _high)
            {
                return Math.Clamp((int)Math.Round(x, MidpointRounding.AwayFromZero), 0, _count - 1);
            }
        }

        return rng.Next(_count);
    }

    /// <summary>log of the mixture's probability of index <paramref name="j"/>.</summary>
    public double LogProbability(int j)
    {
        if (_known is null || (uint)j >= (uint)_known.Length)
        {
            return Compute(j);
        }

        if (!_known[j])
        {
            _logProbability![j] = Compute(j);
            _known[j] = true;
        }

        return _logProbability![j];
    }

    private double Compute(int j)
    {
        Span<double> terms = _mu.Length <= 256 ? stackalloc double[_mu.Length] : new double[_mu.Length];
        for (var c = 0; c < _mu.Length; c++)
        {
            var a = (j - 0.5 - _mu[c]) / _sigma[c];
            var b = (j + 0.5 - _mu[c]) / _sigma[c];
            terms[c] = _logWeight[c] + NormalMath.LogMass(a, b) - _logNorm[c];
        }

        return NormalMath.LogSumExp(terms);
    }
}
