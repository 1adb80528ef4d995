namespace Trading.Study.Tests;

/// <summary>One cluster for every test that needs one (started lazily, only when such a test runs).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "postgres";
}
