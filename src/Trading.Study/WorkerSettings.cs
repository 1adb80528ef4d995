using Trading.Optimizer.Running;

namespace Trading.Study;

/// <summary>How a process works on a study: threads, the heartbeat timeout, cancellation, progress and an optional log.</summary>
public sealed record WorkerSettings
{
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>A claim whose heartbeat is older than this goes back to the queue; this worker beats every quarter of it.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(10);

    public CancellationToken Cancel { get; init; }

    /// <summary>Counts every worker's finished trials of the study (not only this process's).</summary>
    public ProgressCounter? Progress { get; init; }

    /// <summary>When set, one line per trial claimed, finished or returned to the queue.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Names this worker's claims (host, process id and a random part by default).</summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Random.Shared.Next(0x10000):x4}";
}
