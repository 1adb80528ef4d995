namespace Trading.Optimizer.Running;

/// <summary>
/// The completed trials in index order (all of them unless <see cref="Canceled"/>, in which case those finished
/// before the stop), the wall time and the thread count used.
/// </summary>
public sealed class OptimizationResult<T>
{
    public required IReadOnlyList<Trial<T>> Trials { get; init; }

    public required bool Canceled { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public required int Threads { get; init; }

    /// <summary>Kept trials best first (see <see cref="Ranking"/>).</summary>
    public IReadOnlyList<Trial<T>> Ranked() => Ranking.Rank(Trials);
}
