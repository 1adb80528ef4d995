namespace EventLoop.Tests.Backends;

/// <summary>The loop contract on the IoUring backend.</summary>
[ContractBackend(LoopBackend.IoUring)]
public sealed class IoUringContractTests(KestrelWebSocketServer server) : BackendContractTests(server)
{
}
