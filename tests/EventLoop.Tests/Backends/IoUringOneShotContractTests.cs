namespace EventLoop.Tests.Backends;

/// <summary>The loop contract on the IoUring backend with one RECV SQE per receive (the path of a kernel without multishot receive) and every send an SQE.</summary>
[ContractBackend(LoopBackend.IoUring, oneShotReceives: true, ringSends: true)]
public sealed class IoUringOneShotContractTests(KestrelWebSocketServer server) : BackendContractTests(server)
{
}
