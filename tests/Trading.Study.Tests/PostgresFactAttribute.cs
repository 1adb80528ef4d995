namespace Trading.Study.Tests;

/// <summary>A fact that needs PostgreSQL's binaries; skipped, with the reason, only when they are absent.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresCluster.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}
