namespace EventLoop.Tests.Backends;

/// <summary>On a class derived from <see cref="BackendContractTests"/>: the loop options its tests run with.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ContractBackendAttribute(LoopBackend backend, bool refuseIoUring = false) : Attribute
{
    public LoopBackend Backend { get; } = backend;

    /// <summary>Simulates a kernel (seccomp profile) that refuses io_uring_setup.</summary>
    public bool RefuseIoUring { get; } = refuseIoUring;
}
