using System.Globalization;
using Trading.Live.Journal;

namespace Trading.Live.Reconcile;

/// <summary>
/// The result of a reconciliation, printed before the strategy sees any data: each journalled order that needed
/// settling, the venue's unknown orders and their fate, trades of orders the journal does not know, the balances the
/// run starts from (the venue's, whatever the journal said) and every discrepancy worth a human's look.
/// </summary>
public sealed record ReconciliationReport(
    IReadOnlyList<OrderSettlement> Settlements,
    IReadOnlyList<UnknownOrder> UnknownOrders,
    IReadOnlyList<VenueTrade> ForeignTrades,
    VenueBalances Balances,
    JournalSnapshot? JournalSnapshot,
    IReadOnlyList<string> Discrepancies)
{
    /// <summary>True when every order is settled (none <see cref="SettlementOutcome.Unresolved"/>) and nothing is unaccounted for.</summary>
    public bool IsComplete => Settlements.All(s => s.Outcome != SettlementOutcome.Unresolved && s.UnaccountedQuantity == 0);

    /// <summary>Orders the engine now tracks as open: journalled ones still working, and adopted unknown ones.</summary>
    public IEnumerable<string> OpenClientOrderIds =>
        Settlements.Where(s => s.Outcome == SettlementOutcome.StillOpen).Select(s => s.ClientOrderId)
            .Concat(UnknownOrders.Where(u => u.Action == UnknownOrderPolicy.Adopt).Select(u => u.Order.ClientOrderId));

    /// <summary>The report as lines of text (deterministic: same inputs, same lines).</summary>
    public IReadOnlyList<string> Lines()
    {
        var lines = new List<string>();
        var changed = Settlements.Count(s => s.Outcome != SettlementOutcome.Unchanged);
        lines.Add($"reconciliation: {Settlements.Count} journalled orders checked, {changed} settled, {UnknownOrders.Count} unknown at the venue, {ForeignTrades.Count} foreign trades");
        foreach (var s in Settlements.Where(s => s.Outcome != SettlementOutcome.Unchanged))
        {
            var fills = s.MissingFills.Count == 0 ? "" : $", {s.MissingFills.Count} missing fills booked ({D(s.MissingFills.Sum(f => f.Quantity))})";
            var retry = s.Outcome == SettlementOutcome.Unresolved ? $", ask again at {s.RetryAt}" : "";
            lines.Add($"  {s.ClientOrderId}: {s.JournalState} -> {s.State} ({Name(s.Outcome)}; executed {D(s.VenueExecutedQuantity)}{fills}{retry}): {s.Note}");
        }

        foreach (var u in UnknownOrders)
        {
            var o = u.Order;
            lines.Add($"  unknown {o.ClientOrderId} (venue id {o.OrderId}) {o.Side.ToString().ToLowerInvariant()} {D(o.OriginalQuantity)} @ {D(o.Price)}, executed {D(o.ExecutedQuantity)}: {(u.Action == UnknownOrderPolicy.Adopt ? "adopt" : "cancel")}");
        }

        foreach (var t in ForeignTrades)
        {
            lines.Add($"  foreign trade {t.TradeId} (venue order {t.OrderId}) {t.Side.ToString().ToLowerInvariant()} {D(t.Quantity)} @ {D(t.Price)}");
        }

        var journal = JournalSnapshot is { } j ? $" (journal's last snapshot: base {D(j.Base)}, quote {D(j.Quote)})" : "";
        lines.Add($"  balances from the venue: base {D(Balances.Base)} ({D(Balances.BaseLocked)} locked), quote {D(Balances.Quote)} ({D(Balances.QuoteLocked)} locked){journal}");
        foreach (var d in Discrepancies)
        {
            lines.Add($"  discrepancy: {d}");
        }

        return lines;
    }

    public void Print(TextWriter output)
    {
        foreach (var line in Lines())
        {
            output.WriteLine(line);
        }
    }

    public override string ToString() => string.Join('\n', Lines());

    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Name(SettlementOutcome o) => o switch
    {
        SettlementOutcome.StillOpen => "still open",
        SettlementOutcome.NeverPlaced => "never placed",
        _ => o.ToString().ToLowerInvariant(),
    };
}
