namespace EventLoop.Queues;

/// <summary>
/// A preallocated Disruptor-style multi-producer ring. A producer claims the next sequence with one
/// <see cref="Interlocked.Increment(ref long)"/>, writes its slot, then publishes it by storing the slot's round number
/// (<c>sequence / capacity</c>) in an availability array, so that the consumer never waits on a slower producer's claim
/// to read a faster producer's later slot out of order: it simply stops at the first unpublished sequence. The consumer
/// reads every published item in a batch and frees all of their slots with one store of its sequence.
/// <para>Full ring (the trap every bounded MPSC queue has): a producer whose claimed slot is still occupied spins
/// (spin, then yield; never <c>Thread.Sleep(1)</c>) until the consumer frees it: back-pressure, never loss. Hence
/// the consumer thread must never enqueue into its own ring (the loop routes its own thread's completions to a local
/// list), and a producer can stall while nobody drains the ring (no <see cref="Loop.Run"/> in progress).</para>
/// </summary>
internal sealed class MpscRing<T> : ICrossThreadQueue<T>
{
    private readonly T[] _items;
    private readonly int[] _published;
    private readonly int _mask;
    private readonly int _shift;
    private PaddedLong _claim;    // next sequence a producer will claim
    private PaddedLong _consumed; // every sequence below it is read and its slot free

    /// <param name="capacity">A power of two, at least 2.</param>
    public MpscRing(int capacity)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "ring capacity must be a power of two >= 2");
        }

        _items = new T[capacity];
        _published = new int[capacity];
        Array.Fill(_published, -1); // round -1: never published
        _mask = capacity - 1;
        _shift = System.Numerics.BitOperations.Log2((uint)capacity);
    }

    public int Capacity => _items.Length;

    /// <summary>
    /// True when the next item is published. Deliberately false while that slot is only claimed: a producer preempted
    /// between claim and publish must not make the consumer spin against it (on 2 cores with 4 producers that spinning
    /// cost 3x in <c>loop-post</c>); the consumer sleeps, and the producer's publish wakes it.
    /// </summary>
    public bool HasPending
    {
        get
        {
            long next = Volatile.Read(ref _consumed.Value);
            return Volatile.Read(ref _published[(int)next & _mask]) == (int)(next >> _shift);
        }
    }

    public void Enqueue(T item)
    {
        long seq = Interlocked.Increment(ref _claim.Value) - 1;
        if (seq - Volatile.Read(ref _consumed.Value) >= _items.Length)
        {
            WaitForSlot(seq);
        }

        int i = (int)seq & _mask;
        _items[i] = item;
        Volatile.Write(ref _published[i], (int)(seq >> _shift));
    }

    public int DrainTo(Span<T> destination)
    {
        long next = _consumed.Value; // only the consumer writes it
        int n = 0;
        while (n < destination.Length)
        {
            int i = (int)next & _mask;
            if (Volatile.Read(ref _published[i]) != (int)(next >> _shift))
            {
                break;
            }

            destination[n++] = _items[i];
            _items[i] = default!; // drop the reference: the ring must not keep completions alive
            next++;
        }

        if (n > 0)
        {
            Volatile.Write(ref _consumed.Value, next);
        }

        return n;
    }

    private void WaitForSlot(long seq)
    {
        var spin = default(SpinWait);
        while (seq - Volatile.Read(ref _consumed.Value) >= _items.Length)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
