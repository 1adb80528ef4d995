using System.Collections;
using System.Numerics;
namespace Trading.Backtest.Engine;

/// <summary>
/// What a run keeps and hands out in its result — the fills (<see cref="BacktestOptions.RecordFills"/>), the rejected
/// orders' views — appended into chunks that are never copied or moved: 64 items, then twice as many per chunk up to
/// 4,096, then 4,096 each, instead of a list that doubles and copies its array. A long run's records then cost their
/// own bytes once (a doubling list allocates up to four times them, every array above 85 KB on the large-object heap,
/// where it also counts toward a full collection, and copies them on each growth). Indexing is O(1). Not
/// thread-safe; read it once the run is over.
/// </summary>
internal sealed class ChunkedLog<T> : IReadOnlyList<T>
{
    private const int FirstShift = 6;
    private const int LastShift = 12;

    /// <summary>Items in the chunks before the first full-size one: 64 + 128 + … + 2,048.</summary>
    private const int GrowingPart = (1 << LastShift) - (1 << FirstShift);

    private T[][] _chunks = new T[8][];
    private int _chunkCount;
    private T[] _tail = [];
    private int _tailUsed;

    public int Count { get; private set; }

    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            int chunk, offset;
            if (index < GrowingPart)
            {
                // Chunk k holds 64·2^k items from index 64·(2^k − 1): k = ⌊log2(index / 64 + 1)⌋.
                chunk = BitOperations.Log2((uint)(index >> FirstShift) + 1);
                offset = index - ((1 << (FirstShift + chunk)) - (1 << FirstShift));
            }
            else
            {
                var rest = index - GrowingPart;
                chunk = LastShift - FirstShift + (rest >> LastShift);
                offset = rest & ((1 << LastShift) - 1);
            }

            return _chunks[chunk][offset];
        }
    }

    public void Add(in T item)
    {
        if (_tailUsed == _tail.Length)
        {
            Grow();
        }

        _tail[_tailUsed++] = item;
        Count++;
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var c = 0; c < _chunkCount; c++)
        {
            var chunk = _chunks[c];
            var used = c == _chunkCount - 1 ? _tailUsed : chunk.Length;
            for (var i = 0; i < used; i++)
            {
                yield return chunk[i];
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Grow()
    {
        if (_chunkCount == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        _tail = new T[1 << Math.Min(FirstShift + _chunkCount, LastShift)];
        _chunks[_chunkCount++] = _tail;
        _tailUsed = 0;
    }
}
