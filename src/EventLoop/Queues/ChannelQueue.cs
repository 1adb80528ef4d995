using System.Threading.Channels;

namespace EventLoop.Queues;

/// <summary>
/// The baseline: an unbounded, single-reader <see cref="Channel{T}"/>. Unbounded, so it never waits for room, but it
/// allocates a new segment now and then as it grows. Kept for the <c>loop-post</c> benchmark. Measured there (2 shared
/// cores, best of 5 interleaved runs): 1 producer, ring 26.2 M/s vs channel 16.7 M/s; 4 producers, ring 11.3 M/s vs
/// channel 11.1 M/s (a tie within the noise), and the ring allocates nothing. So the loop uses <see cref="MpscRing{T}"/>.
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
