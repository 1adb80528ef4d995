namespace Trading.Study.Tests;

/// <summary>Starts the shared <see cref="PostgresCluster"/> on first use, so that skipped tests start nothing.</summary>
public sealed class ClusterFixture : IDisposable
{
    private readonly Lazy<PostgresCluster> _cluster = new(() => new PostgresCluster());

    public PostgresCluster Cluster => _cluster.Value;

    public void Dispose()
    {
        if (_cluster.IsValueCreated)
        {
            _cluster.Value.Dispose();
        }
    }
}
