namespace Trading.Study.Tests;

/// <summary>A fact that needs PostgreSQL and Debian's Optuna; skipped with the reason only when either cannot be had.</summary>
public sealed class OptunaFactAttribute : FactAttribute
{
    public OptunaFactAttribute()
    {
        if ((PostgresCluster.Missing ?? DebianOptuna.Missing) is { } reason)
        {
            Skip = reason;
        }
    }
}
