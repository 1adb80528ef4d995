namespace Trading.Optimizer.Search;

/// <summary>
/// TPE's knobs, defaulting to Optuna's: 10 random start-up trials, 24 candidates per proposal, good fraction
/// γ(n) = min(⌈0.1·n⌉, 25). <see cref="BatchSize"/> trials are proposed together from the earlier batches' results:
/// smaller batches learn faster, larger ones keep more threads busy; it never depends on the thread count.
/// </summary>
public sealed record TpeSettings
{
    public int Trials { get; init; } = 100;

    public int Seed { get; init; }

    public int BatchSize { get; init; } = 8;

    public int StartupTrials { get; init; } = 10;

    public int Candidates { get; init; } = 24;

    /// <summary>How many of <paramref name="n"/> observations count as good.</summary>
    public static int Good(int n) => Math.Max(1, Math.Min((int)Math.Ceiling(0.1 * n), 25));
}
