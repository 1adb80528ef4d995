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
}
