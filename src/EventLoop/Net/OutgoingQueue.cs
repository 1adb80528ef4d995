using System.Net.WebSockets;

namespace EventLoop.Net;

/// <summary>
/// The bounded FIFO behind <see cref="TcpSendQueue"/> and <see cref="WebSocketSendQueue"/>: a ring of message slots,
/// each owning a byte array that is reused (grown to the largest message it carried), so that a queue in steady state
/// allocates nothing. Messages are copied in, so the caller may reuse its buffer as soon as the enqueue returns.
/// Bounded by message count and by queued bytes. Loop thread only.
/// </summary>
internal sealed class OutgoingQueue
{
    private readonly Slot[] _slots;
    private readonly long _maxBytes;
    private int _head;
    private int _count;
    private long _bytes;

    public OutgoingQueue(int maxMessages, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _slots = new Slot[maxMessages];
        _maxBytes = maxBytes;
    }

    public int Count => _count;

    public long Bytes => _bytes;

    public int MaxMessages => _slots.Length;

    public long MaxBytes => _maxBytes;

    /// <summary>Copies <paramref name="message"/> in at the tail; false (and nothing queued) when either bound would be exceeded.</summary>
    public bool TryAdd(ReadOnlySpan<byte> message, WebSocketMessageType type)
    {
        if (_count == _slots.Length || _bytes + message.Length > _maxBytes)
        {
            return false;
        }

        ref var slot = ref _slots[(_head + _count) % _slots.Length];
        if (slot.Buffer is null || slot.Buffer.Length < message.Length)
        {
            slot.Buffer = new byte[Math.Max(64, (int)Math.Min(Array.MaxLength, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)message.Length)))];
        }

        message.CopyTo(slot.Buffer);
        slot.Length = message.Length;
        slot.Type = type;
        _count++;
        _bytes += message.Length;
        return true;
    }

    /// <summary>The oldest message (valid until <see cref="RemoveHead"/>). Requires Count &gt; 0.</summary>
    public ReadOnlyMemory<byte> Head(out WebSocketMessageType type)
    {
        ref var slot = ref _slots[_head];
        type = slot.Type;
        return slot.Buffer.AsMemory(0, slot.Length);
    }

    public void RemoveHead()
    {
        _bytes -= _slots[_head].Length;
        _head = (_head + 1) % _slots.Length;
        _count--;
    }

    public void Clear()
    {
        _head = 0;
        _count = 0;
        _bytes = 0;
    }

    private struct Slot
    {
        public byte[] Buffer;
        public int Length;
        public WebSocketMessageType Type;
    }
}
