using Trading.Core.Strategies;
using Trading.Optimizer.Running;

namespace Trading.Optimizer.Search;

/// <summary>
/// Proposes the points to run, in batches. <see cref="NextBatch"/> sees the scored results of every earlier batch, in
/// index order, and nothing else, so a search is a deterministic function of its settings and those results.
/// </summary>
public interface ISearch
{
    /// <summary>grid, random or tpe.</summary>
    string Name { get; }

    /// <summary>Runs the search means to make (for progress and ETA); it may make fewer when the space runs out.</summary>
    int Planned { get; }

    /// <summary>The next points to run; null or empty when the search is over.</summary>
    IReadOnlyList<ParameterSet>? NextBatch(IReadOnlyList<ScoredPoint> history);
}
