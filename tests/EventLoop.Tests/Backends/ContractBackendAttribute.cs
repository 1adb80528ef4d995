namespace EventLoop.Tests.Backends;

/// <summary>On a class derived from <see cref="BackendContractTests"/>: the loop options its tests run with.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ContractBackendAttribute(LoopBackend backend, bool refuseIoUring = false, bool oneShotReceives = false, bool ringSends = false, int receiveBuffers = 256, int receiveBufferSize = 4096) : Attribute
{
    public LoopBackend Backend { get; } = backend;

    /// <summary>Simulates a kernel (seccomp profile) that refuses io_uring_setup.</summary>
    public bool RefuseIoUring { get; } = refuseIoUring;

    /// <summary>io_uring: one RECV SQE per receive instead of the per-socket multishot (the path a kernel without multishot takes).</summary>
    public bool OneShotReceives { get; } = oneShotReceives;

    /// <summary>io_uring: every send is an SQE (no send(2) tried first).</summary>
    public bool RingSends { get; } = ringSends;

    /// <summary>io_uring: buffers in the multishot receives' provided-buffer ring (tiny: the ring runs dry all the time).</summary>
    public int ReceiveBuffers { get; } = receiveBuffers;

    /// <summary>io_uring: bytes per provided buffer.</summary>
    public int ReceiveBufferSize { get; } = receiveBufferSize;

    /// <summary>The options of a loop for these tests.</summary>
    public LoopOptions Options(WaitStrategy wait = WaitStrategy.Blocking) => new()
    {
        Backend = Backend,
        RefuseIoUring = RefuseIoUring,
        WaitStrategy = wait,
        IoUringMultishotReceive = !OneShotReceives,
        IoUringInlineSends = !RingSends,
        IoUringReceiveBuffers = ReceiveBuffers,
        IoUringReceiveBufferSize = ReceiveBufferSize,
    };
}
