using Trading.Core.Strategies;
using Trading.Optimizer.Running;
using Trading.Optimizer.Space;

namespace Trading.Optimizer.Search;

/// <summary>
/// The tree-structured Parzen estimator (Bergstra et al. 2011; Optuna's default sampler), in fixed-size batches.
/// For batch b it uses only the scored trials of batches 0…b−1 and a <see cref="Random"/> seeded from (seed, b),
/// so the trials it proposes are the same for any thread count. Until <see cref="TpeSettings.StartupTrials"/> results
/// exist it samples uniformly. After that, for each proposal:
/// <list type="number">
/// <item>the observations are split into the γ(n) best (ties: lower index first; discarded runs are worst) and the rest;</item>
/// <item>per axis, a Parzen estimator l(x) is fitted on the good ones and g(x) on the rest (numeric, truncated and
/// discretised for range axes; categorical for list axes);</item>
/// <item><see cref="TpeSettings.Candidates"/> points are drawn from l, constraint-violating or already-run points
/// skipped, and the one maximising Σ log l(xᵢ) − log g(xᵢ) (the expected-improvement criterion) is proposed.</item>
/// </list>
/// Already-run points are never proposed again (a discrete space would otherwise waste runs on repeats).
/// </summary>
public sealed class TpeSearch : ISearch
{
    private readonly ParameterSpace _space;
    private readonly TpeSettings _settings;
    private readonly HashSet<ParameterSet> _seen = [];
    private int _proposed;
    private int _batch;
    private bool _exhausted;

    public TpeSearch(ParameterSpace space, TpeSettings settings)
    {
        if (settings.Trials < 1)
        {
            throw new OptimizerException($"--trials must be at least 1, got {settings.Trials}");
        }

        if (settings.BatchSize < 1)
        {
            throw new OptimizerException($"--batch must be at least 1, got {settings.BatchSize}");
        }

        _space = space;
        _settings = settings;
        var probe = new int[space.Axes.Count];
        if (!SpaceSampler.TryDraw(space, new Random(0), [], probe, out _))
        {
            throw space.Empty();
        }
    }

    public string Name => "tpe";

    public int Planned => _settings.Trials;

    public IReadOnlyList<ParameterSet>? NextBatch(IReadOnlyList<ScoredPoint> history)
    {
        if (_exhausted || _proposed >= _settings.Trials)
        {
            return null;
        }

        var rng = Seeds.For(_settings.Seed, _batch++);
        var size = Math.Min(_settings.BatchSize, _settings.Trials - _proposed);
        var model = history.Count >= Math.Max(2, _settings.StartupTrials) ? Fit(history) : null;
        var batch = new List<ParameterSet>(size);
        var digits = new int[_space.Axes.Count];
        for (var i = 0; i < size; i++)
        {
            var point = ParameterSet.Empty;
            var ok = model is not null && TryPropose(model.Value, rng, digits, out point);
            if (!ok && !SpaceSampler.TryDraw(_space, rng, _seen, digits, out point))
            {
                _exhausted = true;
                break;
            }

            _seen.Add(point);
            batch.Add(point);
        }

        _proposed += batch.Count;
        return batch;
    }

    private (Func<int, int, double> LogRatio, Func<int, Random, int> SampleGood)? Fit(IReadOnlyList<ScoredPoint> history)
    {
        var n = history.Count;
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var sa = history[a].Score ?? double.NegativeInfinity;
            var sb = history[b].Score ?? double.NegativeInfinity;
            var c = sb.CompareTo(sa);
            return c != 0 ? c : history[a].Index.CompareTo(history[b].Index);
        });
        var nGood = Math.Min(TpeSettings.Good(n), n - 1);
        var isGood = new bool[n];
        for (var r = 0; r < nGood; r++)
        {
            isGood[order[r]] = true;
        }

        var axes = _space.Axes;
        var digits = new int[n][];
        for (var i = 0; i < n; i++)
        {
            digits[i] = new int[axes.Count];
            if (!_space.TryDigits(history[i].Parameters, digits[i]))
            {
                throw new InvalidOperationException($"trial {history[i].Index} is not a point of the space");
            }
        }

        var good = new Func<int, double>[axes.Count];
        var bad = new Func<int, double>[axes.Count];
        var sample = new Func<Random, int>[axes.Count];
        var goodWeights = ParzenWeights.For(nGood);
        var badWeights = ParzenWeights.For(n - nGood);
        for (var a = 0; a < axes.Count; a++)
        {
            // History is in index order, so each group's observations stay oldest first, as the weights expect.
            var g = new List<int>(nGood);
            var b = new List<int>(n - nGood);
            for (var i = 0; i < n; i++)
            {
                (isGood[i] ? g : b).Add(digits[i][a]);
            }

            var count = axes[a].Count;
            if (axes[a].IsRange)
            {
                var l = new NumericParzen(count, g.Select(x => (double)x).ToArray(), goodWeights);
                var u = new NumericParzen(count, b.Select(x => (double)x).ToArray(), badWeights);
                good[a] = l.LogProbability;
                bad[a] = u.LogProbability;
                sample[a] = l.Sample;
            }
            else
            {
                var l = new CategoricalParzen(count, g.ToArray(), goodWeights);
                var u = new CategoricalParzen(count, b.ToArray(), badWeights);
                good[a] = l.LogProbability;
                bad[a] = u.LogProbability;
                sample[a] = l.Sample;
            }
        }

        return ((axis, j) => good[axis](j) - bad[axis](j), (axis, rng) => sample[axis](rng));
    }

    private bool TryPropose((Func<int, int, double> LogRatio, Func<int, Random, int> SampleGood) model, Random rng, int[] digits, out ParameterSet point)
    {
        var candidate = new int[digits.Length];
        var bestScore = double.NegativeInfinity;
        var found = false;
        for (var round = 0; round < 10 && !found; round++)
        {
            for (var c = 0; c < _settings.Candidates; c++)
            {
                for (var a = 0; a < candidate.Length; a++)
                {
                    candidate[a] = model.SampleGood(a, rng);
                }

                if (!_space.Allows(candidate) || _seen.Contains(_space.At(candidate)))
                {
                    continue;
                }

                var score = 0.0;
                for (var a = 0; a < candidate.Length; a++)
                {
                    score += model.LogRatio(a, candidate[a]);
                }

                if (!found || score > bestScore)
                {
                    found = true;
                    bestScore = score;
                    candidate.CopyTo(digits, 0);
                }
            }
        }

        point = found ? _space.At(digits) : ParameterSet.Empty;
        return found;
    }
}
