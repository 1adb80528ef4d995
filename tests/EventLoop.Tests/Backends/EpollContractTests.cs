namespace EventLoop.Tests.Backends;

/// <summary>The loop contract on the Epoll backend.</summary>
[ContractBackend(LoopBackend.Epoll)]
public sealed class EpollContractTests(KestrelWebSocketServer server) : BackendContractTests(server)
{
}
