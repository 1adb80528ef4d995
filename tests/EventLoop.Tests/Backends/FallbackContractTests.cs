namespace EventLoop.Tests.Backends;

/// <summary>
/// The loop contract on what Auto falls back to when io_uring setup is refused (a seccomp profile, simulated by
/// <see cref="LoopOptions.RefuseIoUring"/>): epoll on Linux x86-64.
/// </summary>
[ContractBackend(LoopBackend.Auto, refuseIoUring: true)]
public sealed class FallbackContractTests(KestrelWebSocketServer server) : BackendContractTests(server)
{
    protected override LoopBackend ExpectedBackend
        => OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64
            ? LoopBackend.Epoll
            : LoopBackend.Runtime;
}
