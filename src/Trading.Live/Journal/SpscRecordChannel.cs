namespace Trading.Live.Journal;

/// <summary>
/// A bounded single-producer single-consumer ring of structs: the producer copies a record into a preallocated slot and
/// publishes it with one release store; the consumer wakes only when it said it was going to sleep, so a busy producer
/// pays no system call per record. No allocation after construction.
/// <para>Trap: exactly one producer thread and one consumer thread; a second producer corrupts the ring.</para>
/// </summary>
internal sealed class SpscRecordChannel<T> : IRecordChannel<T>, IDisposable
    where T : struct
{
    private readonly T[] _slots;
    private readonly int _mask;
    private readonly ManualResetEventSlim _signal = new(false, 0);
    private long _head; // next slot to read; written by the consumer
    private long _tail; // next slot to write; written by the producer
    private int _sleeping;
    private int _closed;

    /// <summary>Creates a ring of <paramref name="capacity"/> slots, rounded up to a power of two.</summary>
    public SpscRecordChannel(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new T[size];
        _mask = size - 1;
    }

    public int Capacity => _slots.Length;

    public bool TryWrite(in T item)
    {
        var tail = _tail;
        if (tail - Volatile.Read(ref _head) >= _slots.Length)
        {
            return false;
        }

        _slots[tail & _mask] = item;
        Volatile.Write(ref _tail, tail + 1);

        // Full fence between publishing the slot and reading the flag: pairs with the consumer's fence between setting
        // the flag and re-reading the tail, so one of the two always sees the other.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) != 0)
        {
            _signal.Set();
        }

        return true;
    }

    public bool TryRead(out T item)
    {
        var head = _head;
        if (head == Volatile.Read(ref _tail))
        {
            item = default;
            return false;
        }

        ref var slot = ref _slots[head & _mask];
        item = slot;
        slot = default; // drop the strings it referenced
        Volatile.Write(ref _head, head + 1);
        return true;
    }

    public void WaitToRead()
    {
        _signal.Reset();
        Volatile.Write(ref _sleeping, 1);
        Interlocked.MemoryBarrier();
        if (_head == Volatile.Read(ref _tail) && Volatile.Read(ref _closed) == 0)
        {
            _signal.Wait();
        }

        Volatile.Write(ref _sleeping, 0);
    }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public void Close()
    {
        Volatile.Write(ref _closed, 1);
        _signal.Set();
    }

    public void Dispose() => _signal.Dispose();
}
