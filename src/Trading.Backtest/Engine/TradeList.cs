using System.Collections;
using Trading.Backtest.Results;

namespace Trading.Backtest.Engine;

/// <summary>
/// A run's trades as <see cref="TradeRecord"/>s: the ledger's closed rows, then the open trade if any. A record is
/// built each time an item is read (equal records, not the same instance: <see cref="TradeRecord"/> compares by
/// value), so a run keeps its trades without an object per trade. Immutable once handed out: the ledger starts new
/// rows for its next run (<see cref="TradeLedger.TakeTrades"/>); reads from any thread are safe.
/// </summary>
internal sealed class TradeList : IReadOnlyList<TradeRecord>
{
    private readonly ChunkedLog<TradeRow> _rows;
    private readonly string[] _reasons;
    private readonly TradeRecord? _open;

    public TradeList(ChunkedLog<TradeRow> rows, string[] reasons, TradeRecord? open)
    {
        _rows = rows;
        _reasons = reasons;
        _open = open;
    }

    public int Count => _rows.Count + (_open is null ? 0 : 1);

    public TradeRecord this[int index] =>
        (uint)index < (uint)_rows.Count ? _rows[index].ToRecord(_reasons)
        : index == _rows.Count && _open is not null ? _open
        : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<TradeRecord> GetEnumerator()
    {
        foreach (var row in _rows)
        {
            yield return row.ToRecord(_reasons);
        }

        if (_open is not null)
        {
            yield return _open;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
