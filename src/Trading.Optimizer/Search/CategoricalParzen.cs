namespace Trading.Optimizer.Search;

/// <summary>
/// Optuna's categorical Parzen estimator, for list axes: P(c) ∝ Σ weights of observations equal to c + prior/n
/// (prior weight 1 spread evenly), so an unobserved category keeps a chance.
/// </summary>
internal sealed class CategoricalParzen
{
    private readonly double[] _p;

    public CategoricalParzen(int count, ReadOnlySpan<int> observations, ReadOnlySpan<double> weights)
    {
        _p = new double[count];
        for (var c = 0; c < count; c++)
        {
            _p[c] = 1.0 / count;
        }

        for (var i = 0; i < observations.Length; i++)
        {
            _p[observations[i]] += weights[i];
        }

        var total = _p.Sum();
        for (var c = 0; c < count; c++)
        {
            _p[c] /= total;
        }
    }

    public int Sample(Random rng)
    {
        var u = rng.NextDouble();
        var acc = 0.0;
        for (var c = 0; c < _p.Length; c++)
        {
            acc += _p[c];
            if (u < acc)
            {
                return c;
            }
        }

        return _p.Length - 1;
    }

    public double LogProbability(int c) => Math.Log(_p[c]);
}
