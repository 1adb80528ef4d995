namespace EventLoop.Backends;

/// <summary>
/// Objects the kernel refers to by a 64-bit tag (io_uring's user_data, epoll's data): the slot index in the low 32
/// bits and the slot's generation in the high 32, so that a tag outliving its object (a stale CQE or event, a cancel
/// aimed at a slot since reused) finds nothing. Loop thread only; grows by doubling, never shrinks.
/// </summary>
internal sealed class SlotTable<T>
    where T : class
{
    private T?[] _items = new T?[256];
    private uint[] _generations = new uint[256];
    private int[] _free = new int[256];
    private int _freeCount;
    private int _used;

    /// <summary>Stores <paramref name="item"/>; returns its tag.</summary>
    public ulong Add(T item)
    {
        int slot;
        if (_freeCount > 0)
        {
            slot = _free[--_freeCount];
        }
        else
        {
            if (_used == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
                Array.Resize(ref _generations, _items.Length);
                Array.Resize(ref _free, _items.Length);
            }

            slot = _used++;
        }

        _items[slot] = item;
        return ((ulong)++_generations[slot] << 32) | (uint)slot;
    }

    /// <summary>Forgets the object behind <paramref name="tag"/> (the slot's generation moves on).</summary>
    public void Remove(ulong tag)
    {
        uint slot = (uint)tag;
        if (slot < (uint)_used && _generations[slot] == (uint)(tag >> 32))
        {
            _items[slot] = null;
            _generations[slot]++;
            _free[_freeCount++] = (int)slot;
        }
    }

    /// <summary>The object behind <paramref name="tag"/>, or null if it was removed since.</summary>
    public T? Get(ulong tag)
    {
        uint slot = (uint)tag; // unsigned: a reserved tag (all ones) is out of range, not negative
        return slot < (uint)_used && _generations[slot] == (uint)(tag >> 32) ? _items[slot] : null;
    }
}
