namespace Trading.Core.Indicators;

/// <summary>
/// The maximum (or minimum) of the last n values, with a monotonic deque: a ring of (index, value) pairs whose values
/// are strictly decreasing (for a maximum) from front to back. A new value first drops the front if it has left the
/// window, then pops every back entry it dominates and is appended; the front is the window's extreme. Each value is
/// pushed and popped at most once, so updates are O(1) amortised (O(n) worst case for a single update), with no
/// allocation: the ring never holds more than n entries because all its indices lie inside the window.
/// </summary>
internal sealed class RollingExtreme
{
    private readonly long[] _index;
    private readonly double[] _value;
    private readonly bool _max;
    private int _head;
    private int _count;
    private long _t;

    public RollingExtreme(int period, bool max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        _index = new long[period];
        _value = new double[period];
        _max = max;
    }

    public int Period => _index.Length;

    /// <summary>The extreme of the last <see cref="Period"/> values (of all values so far before that many); NaN before any.</summary>
    public double Value => _count == 0 ? double.NaN : _value[_head];

    public void Update(double value)
    {
        var cap = _index.Length;
        var t = _t++;

        // Expire first so that, with the new value, the ring holds at most n entries.
        if (_count > 0 && _index[_head] <= t - cap)
        {
            _head = _head + 1 == cap ? 0 : _head + 1;
            _count--;
        }

        while (_count > 0)
        {
            var back = _head + _count - 1;
            if (back >= cap)
            {
                back -= cap;
            }

            var b = _value[back];
            if (_max ? b > value : b < value)
            {
                break;
            }

            _count--;
        }

        var slot = _head + _count;
        if (slot >= cap)
        {
            slot -= cap;
        }

        _index[slot] = t;
        _value[slot] = value;
        _count++;
    }

    public void Reset()
    {
        _head = 0;
        _count = 0;
        _t = 0;
    }
}
