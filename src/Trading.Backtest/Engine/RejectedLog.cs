using System.Collections;
using System.Globalization;
using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Backtest.Engine;

/// <summary>
/// A run's rejected orders, handed out in its result as views whose <see cref="OrderView.Reason"/> is formatted only
/// when an item is read: each entry keeps the view's varying fields (see <see cref="Add"/>) and the
/// <see cref="RejectReason"/> (a text already, when made at the rejection for a strategy that listens to order events). The text is the one the engine built eagerly before, to the last
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

    /// <summary>Views a compact entry could not rebuild bit for bit (not reachable from the engine: see <see cref="Add"/>), by index.</summary>
    private Dictionary<int, OrderView>? _unusual;

    public RejectedLog(Instrument instrument) => _instrument = instrument;

    public int Count => _entries.Count;

    public OrderView this[int index] => Materialize(index, _entries[index]);

    /// <summary>
    /// Keeps a rejected order; <paramref name="view"/>'s reason, when not null, is <paramref name="reason"/>'s text
    /// already made. The entry keeps what a rejected view can vary in — not its status, always Rejected, nor its
    /// filled quantity, average price and fees, always the zero <see cref="BacktestOrder.Reset"/> set (the backtest
    /// fills an order completely or not at all, so an order it rejects has never filled); a view with anything else
    /// there is kept whole, aside, so that every view reads back field for field and bit for bit.
    /// </summary>
    public void Add(in OrderView view, in RejectReason reason)
    {
        var kept = Kept(view.Reason, reason);
        if (!IsUsual(view.Status, view.FilledQuantity, view.AveragePrice, view.FeesPaid))
        {
            (_unusual ??= []).Add(_entries.Count, view with { Reason = null });
        }

        _entries.Add(new Entry(
            view.Quantity, view.Price, view.StopPrice, view.QuoteQuantity, kept, view.Id, view.OcoPartner, view.CreatedTime,
            view.LastUpdateTime, view.Tag, view.Side, view.Type, view.TimeInForce));
    }

    /// <summary>
    /// <see cref="Add(in OrderView, in RejectReason)"/> with the fields read from the slot itself, the engine's way:
    /// no view built and copied per rejection.
    /// </summary>
    public void Add(BacktestOrder order, in RejectReason reason)
    {
        var kept = Kept(order.Reason, reason);
        if (!IsUsual(order.Status, order.FilledQuantity, order.AveragePrice, order.FeesPaid))
        {
            (_unusual ??= []).Add(_entries.Count, order.View() with { Reason = null });
        }

        _entries.Add(new Entry(
            order.Quantity, order.Price, order.StopPrice, order.QuoteQuantity, kept, order.Id, order.OcoPartner, order.CreatedTime,
            order.LastUpdateTime, order.Tag, order.Side, order.Type, order.TimeInForce));
    }

    public IEnumerator<OrderView> GetEnumerator()
    {
        var i = 0;
        foreach (var entry in _entries)
        {
            yield return Materialize(i++, entry);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The reason an entry keeps: the text already made, else the reason itself under the log's culture (formatted now under another).</summary>
    private RejectReason Kept(string? made, in RejectReason reason) =>
        made is not null ? RejectReason.Text(made)
        : ReferenceEquals(CultureInfo.CurrentCulture, _culture) ? reason
        : RejectReason.Text(reason.Format(_instrument));

    /// <summary>
    /// A rejected order that never filled: status Rejected and the zeros <see cref="BacktestOrder.Reset"/> set, to the
    /// bit (zero with scale 0: decimal equality would also take 0.00, which prints otherwise). An entry rebuilds it.
    /// </summary>
    private static bool IsUsual(OrderStatus status, decimal filled, decimal average, decimal fees) =>
        status == OrderStatus.Rejected
        && Results.DecimalParts.IsPlainZero(in filled)
        && Results.DecimalParts.IsPlainZero(in average)
        && Results.DecimalParts.IsPlainZero(in fees);

    private OrderView Materialize(int index, in Entry e)
    {
        var reason = Format(e.Reason);
        if (_unusual is not null && _unusual.TryGetValue(index, out var whole))
        {
            return whole with { Reason = reason };
        }

        return new OrderView(
            e.Id, e.Side, e.Type, OrderStatus.Rejected, e.TimeInForce, e.Quantity, e.Price, e.StopPrice, e.QuoteQuantity,
            0, 0, 0, e.CreatedTime, e.LastUpdateTime, e.Tag, reason, e.OcoPartner);
    }

    /// <summary><see cref="RejectReason.Format"/> under the culture in force at the rejections.</summary>
    private string Format(in RejectReason reason)
    {
        var current = CultureInfo.CurrentCulture;
        if (reason.Kind == RejectKind.Text || ReferenceEquals(current, _culture))
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

    /// <summary>A rejected view less what is the same in all of them (see <see cref="Add"/>) and with the reason unformatted.</summary>
    private readonly record struct Entry(
        decimal Quantity,
        decimal Price,
        decimal StopPrice,
        decimal QuoteQuantity,
        RejectReason Reason,
        ClientOrderId Id,
        ClientOrderId OcoPartner,
        long CreatedTime,
        long LastUpdateTime,
        string? Tag,
        OrderSide Side,
        OrderType Type,
        TimeInForce TimeInForce);
}
