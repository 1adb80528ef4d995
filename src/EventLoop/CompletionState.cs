namespace EventLoop;

/// <summary>Lifecycle of a <see cref="Completion"/>.</summary>
public enum CompletionState
{
    /// <summary>Not submitted (or its callback is running or has run): the caller may reuse or drop it.</summary>
    Dead,

    /// <summary>Submitted and not yet dispatched: the loop (and possibly an I/O thread) owns it; do not touch it.</summary>
    Active,
}
