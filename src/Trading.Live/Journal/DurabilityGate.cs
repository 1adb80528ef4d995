namespace Trading.Live.Journal;

/// <summary>
/// Holds what must not leave the process before its journal record is on disk — typically an order's sequence number
/// after its intent was appended — and hands it back once the writer's <see cref="JournalWriter.DurablePosition"/> has
/// passed it. Loop thread only; no allocation once its queue has grown to the burst size.
/// <para>Use: <c>if (!writer.TryAppend(JournalRecord.Intent(o, now), out var pos)) refuse;</c>
/// <c>gate.Hold(pos, o.Sequence);</c> then, in the notifier callback (and right after Hold, for an already-durable
/// position), <c>while (gate.TryRelease(writer.DurablePosition, out var seq)) send(seq);</c>. Items come back in the
/// order they were held, which is the order of their positions.</para>
/// </summary>
public sealed class DurabilityGate<T>
{
    private readonly Queue<(long Position, T Item)> _held = new();

    /// <summary>Items waiting for the disk.</summary>
    public int Count => _held.Count;

    /// <summary>Holds <paramref name="item"/> until the record at <paramref name="position"/> is durable. Positions must not decrease.</summary>
    public void Hold(long position, T item)
    {
        if (_held.Count > 0 && position < LastPosition)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, "positions are held in append order");
        }

        LastPosition = position;
        _held.Enqueue((position, item));
    }

    /// <summary>Takes the oldest held item whose record is durable (position ≤ <paramref name="durablePosition"/>).</summary>
    public bool TryRelease(long durablePosition, out T item)
    {
        if (_held.TryPeek(out var head) && head.Position <= durablePosition)
        {
            _held.Dequeue();
            item = head.Item;
            return true;
        }

        item = default!;
        return false;
    }

    private long LastPosition { get; set; }
}
