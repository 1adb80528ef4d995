namespace EventLoop.Backends;

/// <summary>A socket registered with an <see cref="EpollBackend"/>: its tag and the operation parked in each direction (at most one each).</summary>
internal sealed class EpollSocket(EpollBackend backend, int fd)
{
    public EpollBackend Backend { get; } = backend;

    public int Fd { get; } = fd;

    public ulong Tag { get; set; }

    /// <summary>The accept or receive waiting for readability.</summary>
    public EpollOp? Reader { get; set; }

    /// <summary>The connect or send waiting for writability.</summary>
    public EpollOp? Writer { get; set; }
}
