using System.Collections;
using System.Globalization;
using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Backtest.Engine;

/// <summary>
/// A run's rejected orders, handed out in its result as views whose <see cref="OrderView.Reason"/> is formatted only
/// when an item is read: each entry keeps the view (reason null unless already made, as for a strategy that listens to
/// order events) and the <see cref="RejectReason"/>. The text is the one the engine built eagerly before, to the last
/// character. Traps: the culture — the eager interpolations used the thread's culture at the rejection, so the log
/// formats under the culture of its first rejection, and an entry added under another culture is formatted at once;
/// identity — each read formats anew (equal strings, not the same instance). Not thread-safe while the run adds to
/// it; once the run is over, reads from any thread are (formatting is pure).
/// </summary>
internal sealed class RejectedLog : IReadOnlyList<OrderView>
{
    private readonly ChunkedLog<Entry> _entries = new();
    private readonly Instrument _instrument;
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;

    public RejectedLog(Instrument instrument) => _instrument = instrument;

    public int Count => _entries.Count;

    public OrderView this[int index] => Materialize(_entries[index]);

    /// <summary>Keeps a rejected order; <paramref name="view"/>'s reason, when not null, is <paramref name="reason"/>'s text already made.</summary>
    public void Add(in OrderView view, in RejectReason reason)
    {
        if (view.Reason is null && !ReferenceEquals(CultureInfo.CurrentCulture, _culture))
        {
            _entries.Add(new Entry(view with { Reason = reason.Format(_instrument) }, default));
            return;
        }

        _entries.Add(new Entry(view, reason));
    }

    public IEnumerator<OrderView> GetEnumerator()
    {
        foreach (var entry in _entries)
        {
            yield return Materialize(entry);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private OrderView Materialize(in Entry entry) =>
        entry.View.Reason is not null ? entry.View : entry.View with { Reason = Format(entry.Reason) };

    /// <summary><see cref="RejectReason.Format"/> under the culture in force at the rejections.</summary>
    private string Format(in RejectReason reason)
    {
        var current = CultureInfo.CurrentCulture;
        if (ReferenceEquals(current, _culture))
        {
            return reason.Format(_instrument);
        }

        CultureInfo.CurrentCulture = _culture;
        try
        {
            return reason.Format(_instrument);
        }
        finally
        {
            CultureInfo.CurrentCulture = current;
        }
    }

    private readonly record struct Entry(OrderView View, RejectReason Reason);
}
