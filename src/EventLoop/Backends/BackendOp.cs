namespace EventLoop.Backends;

/// <summary>
/// A completion's TCP operation as a loop-driven backend runs it (created on the completion's first use there and
/// reused). <see cref="InFlight"/>: the backend (and possibly the kernel) owns the completion and its buffer.
/// </summary>
internal abstract class BackendOp
{
    /// <summary>Between the start of the operation and the moment its completion is handed to the ready list.</summary>
    public bool InFlight { get; protected set; }
}
