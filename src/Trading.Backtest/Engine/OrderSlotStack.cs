namespace Trading.Backtest.Engine;

/// <summary>
/// A stack of order slots: the free ones, and those retired during a candle until they may be reused. An array of
/// the sealed slot type, so that a store is a plain store (a generic list of a reference type checks the array's
/// element type on every one). It only grows — a run's peak of orders alive at once — and is kept per thread with
/// the slots themselves. Not thread-safe.
/// </summary>
internal sealed class OrderSlotStack
{
    private BacktestOrder[] _items = new BacktestOrder[4];

    public int Count { get; private set; }

    public void Push(BacktestOrder slot)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = slot;
    }

    /// <summary>The slot pushed last; the stack must not be empty.</summary>
    public BacktestOrder Pop() => _items[--Count];

    /// <summary>Pushes every slot onto <paramref name="other"/> and empties this one.</summary>
    public void MoveAllTo(OrderSlotStack other)
    {
        for (var i = 0; i < Count; i++)
        {
            other.Push(_items[i]);
        }

        Count = 0;
    }
}
