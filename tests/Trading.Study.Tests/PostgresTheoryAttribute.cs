namespace Trading.Study.Tests;

/// <summary>A theory that needs PostgreSQL's binaries; skipped, with the reason, only when they are absent.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresCluster.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}
