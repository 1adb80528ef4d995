using EventLoop.Clocks;
using EventLoop.Queues;

namespace EventLoop;

/// <summary>Construction options of a <see cref="Loop"/>.</summary>
public sealed class LoopOptions
{
    /// <summary>How the loop thread waits when nothing is ready. Default <see cref="EventLoop.WaitStrategy.Blocking"/>.</summary>
    public WaitStrategy WaitStrategy { get; init; } = WaitStrategy.Blocking;

    /// <summary>How long <see cref="EventLoop.WaitStrategy.SpinThenBlock"/> spins before blocking. Default 50 µs.</summary>
    public TimeSpan SpinDuration { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>
    /// Slots in the cross-thread completion ring (a power of two). Default 65,536. Producers (I/O threads, the thread
    /// pool, <see cref="Loop.Post{TState}"/>ers) wait for room when it is full: size it above the number of completions
    /// that can finish on other threads at once.
    /// </summary>
    public int RingCapacity { get; init; } = 1 << 16;

    /// <summary>
    /// Which backend performs TCP I/O and the idle wait. Default <see cref="LoopBackend.Auto"/>: io_uring where the
    /// kernel allows it, else epoll, else the runtime's engine (<see cref="Loop.Backend"/> says which). An explicit
    /// choice the machine refuses makes the constructor throw <see cref="NotSupportedException"/> with the reason.
    /// </summary>
    public LoopBackend Backend { get; init; } = LoopBackend.Auto;

    /// <summary>Test hook: io_uring setup "fails" as a seccomp profile would make it, so that Auto falls back.</summary>
    internal bool RefuseIoUring { get; init; }

    /// <summary>Test/benchmark hook: io_uring receives through a per-socket multishot RECV with provided buffers (default), or one RECV SQE each.</summary>
    internal bool IoUringMultishotReceive { get; init; } = true;

    /// <summary>Test/benchmark hook: io_uring tries the first send of a tick with a non-blocking send(2) (default), or puts every send in the ring.</summary>
    internal bool IoUringInlineSends { get; init; } = true;

    /// <summary>
    /// Benchmark/test hook: set up the io_uring ring SINGLE_ISSUER | DEFER_TASKRUN (Linux 6.1+; else the default probe):
    /// completion work runs inside the loop's own enter instead of as task work that interrupts the thread (measured
    /// in loop-echo at 1 connection: ~5 % less CPU and p50 per round trip, nothing at 100). Not the default because it
    /// binds the ring to the first thread that enters it (R_DISABLED until then): a later Run, Flush or close on
    /// another thread gets EEXIST from the kernel, which breaks the contract that a loop may move between threads.
    /// </summary>
    internal bool IoUringDeferTaskrun { get; init; }

    /// <summary>Test/benchmark hook: a LoopStream read that finds the multishot queue empty first runs the completion work pending for the loop thread (default), or leaves it to the next tick.</summary>
    internal bool IoUringRunPendingOnRead { get; init; } = true;

    /// <summary>Test hook: buffers in the io_uring backend's provided-buffer ring (a power of two). Default 256.</summary>
    internal int IoUringReceiveBuffers { get; init; } = 256;

    /// <summary>Test hook: bytes per provided buffer. Default 4096.</summary>
    internal int IoUringReceiveBufferSize { get; init; } = 4096;

    /// <summary>Test hook: io_uring setup flags (IORING_SETUP_*) to treat as unknown to the kernel (EINVAL), so that the backend's probe falls back.</summary>
    internal uint IoUringRefusedSetupFlags { get; init; }

    /// <summary>Test/benchmark hook: the clock (default: the real monotonic clock).</summary>
    internal IClock Clock { get; init; } = StopwatchClock.Instance;

    /// <summary>
    /// With a listener on <see cref="LoopMetrics"/>, one callback in this many is timed for the two histograms (callback
    /// duration, dispatch lag); the dispatched counter counts every callback. A power of two; default 16; 1 times every
    /// callback (a timed callback costs a few timestamps and histogram records, which would dominate a ~100 ns dispatch).
    /// </summary>
    public int MetricsSampleInterval { get; init; } = 16;

    /// <summary>Test hook: runs on the loop thread just before <see cref="Loop.Run"/> returns, after it decided to (to race a <see cref="Loop.Stop"/> against it).</summary>
    internal Action? OnRunEnding { get; init; }

    /// <summary>Benchmark hook: which cross-thread queue (default: the ring).</summary>
    internal QueueKind Queue { get; init; } = QueueKind.Ring;
}
