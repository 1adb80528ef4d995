namespace EventLoop.Timers;

/// <summary>
/// Binary min-heap of timer completions ordered by (deadline, sequence): equal deadlines pop in submission order.
/// Each completion remembers its index so that cancel and reset are O(log n). Loop thread only.
/// </summary>
internal sealed class TimerHeap
{
    private Completion[] _heap = new Completion[64];

    public int Count { get; private set; }

    public Completion Peek() => _heap[0];

    public void Push(Completion c)
    {
        if (Count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        _heap[Count] = c;
        c.HeapIndex = Count;
        Count++;
        Up(Count - 1);
    }

    public Completion Pop()
    {
        var top = _heap[0];
        RemoveAt(0);
        return top;
    }

    /// <summary>Removes <paramref name="c"/> if it is in the heap; false otherwise.</summary>
    public bool Remove(Completion c)
    {
        int i = c.HeapIndex;
        if (i < 0 || i >= Count || !ReferenceEquals(_heap[i], c))
        {
            return false;
        }

        RemoveAt(i);
        return true;
    }

    private void RemoveAt(int i)
    {
        var removed = _heap[i];
        Count--;
        if (i != Count)
        {
            _heap[i] = _heap[Count];
            _heap[i].HeapIndex = i;
            _heap[Count] = null!;
            if (!Up(i))
            {
                Down(i);
            }
        }
        else
        {
            _heap[Count] = null!;
        }

        removed.HeapIndex = -1;
    }

    private static bool Less(Completion a, Completion b)
        => a.Deadline < b.Deadline || (a.Deadline == b.Deadline && a.TimerSequence < b.TimerSequence);

    private bool Up(int i)
    {
        int start = i;
        var item = _heap[i];
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Less(item, _heap[parent]))
            {
                break;
            }

            _heap[i] = _heap[parent];
            _heap[i].HeapIndex = i;
            i = parent;
        }

        _heap[i] = item;
        item.HeapIndex = i;
        return i != start;
    }

    private void Down(int i)
    {
        var item = _heap[i];
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && Less(_heap[child + 1], _heap[child]))
            {
                child++;
            }

            if (!Less(_heap[child], item))
            {
                break;
            }

            _heap[i] = _heap[child];
            _heap[i].HeapIndex = i;
            i = child;
        }

        _heap[i] = item;
        item.HeapIndex = i;
    }
}
