namespace EventLoop.Tests.Backends;

/// <summary>The loop contract on the Runtime backend.</summary>
[ContractBackend(LoopBackend.Runtime)]
public sealed class RuntimeContractTests(KestrelWebSocketServer server) : BackendContractTests(server)
{
}
