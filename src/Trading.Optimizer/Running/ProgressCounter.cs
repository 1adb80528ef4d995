namespace Trading.Optimizer.Running;

/// <summary>
/// Runs done and runs planned, updated by the workers with interlocked operations and read by whoever draws the
/// progress (another thread): the only state the workers share besides the work-item counter.
/// </summary>
public sealed class ProgressCounter
{
    private long _done;
    private long _planned;

    public long Done => Interlocked.Read(ref _done);

    public long Planned => Interlocked.Read(ref _planned);

    /// <summary>Adds runs to the plan (walk-forward adds each window's search as it starts).</summary>
    public void AddPlanned(long planned) => Interlocked.Add(ref _planned, planned);

    internal void Add(long runs) => Interlocked.Add(ref _done, runs);
}
