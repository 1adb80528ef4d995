using Trading.Core.Strategies;
using Trading.Optimizer.Running;
using Trading.Optimizer.Space;

namespace Trading.Optimizer.Search;

/// <summary>
/// <c>--samples N --seed S</c>: N distinct allowed points drawn uniformly from the grid's points (each axis's index
/// uniform, constraint-violating draws rejected), as one batch. Fewer than N when the space holds fewer.
/// </summary>
public sealed class RandomSearch : ISearch
{
    private readonly IReadOnlyList<ParameterSet> _points;
    private bool _done;

    public RandomSearch(ParameterSpace space, int samples, int seed)
    {
        if (samples < 1)
        {
            throw new OptimizerException($"--samples must be at least 1, got {samples}");
        }

        var rng = Seeds.For(seed, 0);
        var seen = new HashSet<ParameterSet>();
        var points = new List<ParameterSet>(samples);
        var digits = new int[space.Axes.Count];
        while (points.Count < samples && SpaceSampler.TryDraw(space, rng, seen, digits, out var p))
        {
            seen.Add(p);
            points.Add(p);
        }

        if (points.Count == 0)
        {
            throw space.Empty();
        }

        _points = points;
    }

    public string Name => "random";

    public int Planned => _points.Count;

    public IReadOnlyList<ParameterSet> Points => _points;

    public IReadOnlyList<ParameterSet>? NextBatch(IReadOnlyList<ScoredPoint> history)
    {
        if (_done)
        {
            return null;
        }

        _done = true;
        return _points;
    }
}
