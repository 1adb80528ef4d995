namespace Trading.Study;

/// <summary>A study this process created or joined: its row id, name and the setup it was checked against.</summary>
public sealed class Study
{
    internal Study(int id, string name, StudySetup setup)
    {
        Id = id;
        Name = name;
        Setup = setup;
        Distributions = setup.Space.Axes.Select(a => new OptunaDistribution(a)).ToArray();
    }

    public int Id { get; }

    public string Name { get; }

    public StudySetup Setup { get; }

    internal IReadOnlyList<OptunaDistribution> Distributions { get; }

    /// <summary>
    /// This process's search after its last proposal or replay, and how many batches it has proposed: proposing batch
    /// k then replays only batches this search has not seen, instead of 0…k−1 (a TPE study of thousands of trials
    /// would otherwise replay quadratically). Only used when it has seen at most k batches (a rolled-back proposal
    /// leaves it ahead of the database: then it is rebuilt). Guarded by <see cref="SearchLock"/>.
    /// </summary>
    internal (Optimizer.Search.ISearch Search, int Batches)? CachedSearch { get; set; }

    internal Lock SearchLock { get; } = new();
}
