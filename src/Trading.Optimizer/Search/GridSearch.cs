using Trading.Core.Strategies;
using Trading.Optimizer.Running;
using Trading.Optimizer.Space;

namespace Trading.Optimizer.Search;

/// <summary>Every allowed point of the space, in grid order (first axis slowest), as one batch.</summary>
public sealed class GridSearch : ISearch
{
    /// <summary>The most combinations an exhaustive grid may hold.</summary>
    public const int MaxPoints = 20_000_000;

    private readonly IReadOnlyList<ParameterSet> _points;
    private bool _done;

    public GridSearch(ParameterSpace space)
    {
        _points = space.Grid(MaxPoints);
    }

    public string Name => "grid";

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
