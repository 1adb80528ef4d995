namespace EventLoop;

/// <summary>Which machinery performs the loop's TCP I/O and its idle wait (<see cref="LoopOptions.Backend"/>).</summary>
public enum LoopBackend
{
    /// <summary>Probes io_uring, then epoll, then falls back to <see cref="Runtime"/>; <see cref="Loop.Backend"/> says which it got.</summary>
    Auto,

    /// <summary>
    /// Linux io_uring driven by the loop thread: TCP accept / connect / receive / send are SQEs submitted in batches
    /// per tick, their CQEs reaped in the tick, the idle wait is <c>io_uring_enter</c> with the next timer's deadline.
    /// </summary>
    IoUring,

    /// <summary>Linux epoll driven by the loop thread: non-blocking socket calls made on the loop thread when <c>epoll_wait</c> reports readiness.</summary>
    Epoll,

    /// <summary>The runtime's socket engine (pooled ValueTasks finishing on its I/O threads, handed over through the ring); any OS.</summary>
    Runtime,
}
