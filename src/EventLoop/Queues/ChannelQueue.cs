using System.Threading.Channels;

namespace EventLoop.Queues;

/// <summary>
/// The baseline: an unbounded, single-reader <see cref="Channel{T}"/>. Unbounded, so it never waits for room, but it
/// allocates a new segment now and then as it grows. Kept for the <c>loop-post</c> benchmark, which measured it slower
/// than <see cref="MpscRing{T}"/>; the loop uses the ring by default.
/// </summary>
internal sealed class ChannelQueue<T> : ICrossThreadQueue<T>
{
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = true,
    });

    public bool HasPending => _channel.Reader.TryPeek(out _);

    public void Enqueue(T item)
    {
        if (!_channel.Writer.TryWrite(item))
        {
            throw new InvalidOperationException("the completion channel is closed");
        }
    }

    public int DrainTo(Span<T> destination)
    {
        int n = 0;
        while (n < destination.Length && _channel.Reader.TryRead(out var item))
        {
            destination[n++] = item;
        }

        return n;
    }
}
