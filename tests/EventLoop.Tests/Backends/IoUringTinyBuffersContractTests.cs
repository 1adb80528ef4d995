namespace EventLoop.Tests.Backends;

/// <summary>
/// The loop contract on the IoUring backend with a provided-buffer ring of 2 buffers of 16 bytes: multishot receives
/// keep running it dry (ENOBUFS), so receives fall back to one-shot RECVs and re-arm, mid-stream, all the time.
/// </summary>
[ContractBackend(LoopBackend.IoUring, receiveBuffers: 2, receiveBufferSize: 16)]
public sealed class IoUringTinyBuffersContractTests(KestrelWebSocketServer server) : BackendContractTests(server)
{
}
