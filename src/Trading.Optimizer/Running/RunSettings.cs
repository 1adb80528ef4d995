namespace Trading.Optimizer.Running;

/// <summary>How to run a search: worker threads, cancellation (Ctrl-C) and an optional progress counter.</summary>
public sealed record RunSettings
{
    public int Threads { get; init; } = Environment.ProcessorCount;

    public CancellationToken Cancel { get; init; }

    public ProgressCounter? Progress { get; init; }
}
