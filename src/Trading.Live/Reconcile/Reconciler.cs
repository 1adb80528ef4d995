using Trading.Live.Binance;
using Trading.Live.Journal;
using Trading.Live.Orders;

namespace Trading.Live.Reconcile;

/// <summary>
/// Restart (and reconnect) reconciliation as pure logic: given what the journal holds and what the venue answered, it
/// settles every journalled order to its true state, finds the fills the journal lacks, and sorts the venue's orders
/// the journal does not know into adopt or cancel. No I/O: the engine asks the venue what <see cref="Plan"/> says,
/// calls <see cref="Reconcile"/>, prints the report, journals the settlements and books the missing fills.
/// <para>The venue is the truth: an order's final state is the venue's, a cancel that lost the race to a fill ends
/// filled, and the balances the run starts from are the venue's. An order the venue does not know is closed as never
/// placed — never re-sent — but only once its request can no longer arrive: a request older than the receive window
/// (<c>recvWindow</c>, 5 s by default) is refused by the venue, so before that it stays
/// <see cref="SettlementOutcome.Unresolved"/> and is asked about again.</para>
/// </summary>
public static class Reconciler
{
    /// <summary>What to ask the venue for <paramref name="journal"/>.</summary>
    public static ReconcilePlan Plan(JournalState journal) =>
        new(journal.Orders.Where(o => !o.IsFinal).Select(o => o.ClientOrderId).ToArray(), journal.LastTradeId + 1, journal.LastKnownTime);

    /// <param name="journal">The loaded journal.</param>
    /// <param name="venue">The venue's answers to the <see cref="Plan"/>.</param>
    /// <param name="unknownOrders">What to do with open venue orders the journal does not know.</param>
    /// <param name="recvWindowMs">The venue's receive window: how long after it was signed a request may still be accepted.</param>
    public static ReconciliationReport Reconcile(JournalState journal, VenueView venue, UnknownOrderPolicy unknownOrders, long recvWindowMs = 5_000)
    {
        var known = new HashSet<string>(journal.Orders.Select(o => o.ClientOrderId), StringComparer.Ordinal);
        var answers = new Dictionary<string, VenueOrderState>(StringComparer.Ordinal);
        foreach (var v in venue.Queried.Concat(venue.OpenOrders))
        {
            if (!answers.TryGetValue(v.ClientOrderId, out var seen) || v.UpdateTime >= seen.UpdateTime)
            {
                answers[v.ClientOrderId] = v;
            }
        }

        var notFound = new HashSet<string>(venue.NotFound, StringComparer.Ordinal);
        var journalled = new HashSet<long>(journal.Fills.Select(f => f.TradeId));
        var newTrades = venue.Trades.Where(t => !journalled.Contains(t.TradeId)).GroupBy(t => t.TradeId).Select(g => g.First()).ToArray();
        var claimed = new HashSet<long>();
        var settlements = new List<OrderSettlement>();
        var discrepancies = new List<string>();
        foreach (var o in journal.Orders)
        {
            answers.TryGetValue(o.ClientOrderId, out var v);
            var venueId = v?.OrderId is > 0 ? v.OrderId : o.VenueOrderId;
            if (venueId != 0)
            {
                claimed.Add(venueId);
            }

            var missing = venueId == 0 ? [] : newTrades.Where(t => t.OrderId == venueId).OrderBy(t => t.Time).ThenBy(t => t.TradeId).ToArray();
            var s = v is not null ? FromAnswer(o, v, missing)
                : notFound.Contains(o.ClientOrderId) ? FromNotFound(o, missing, venue.Time, recvWindowMs, discrepancies)
                : o.IsFinal ? FromJournal(o, missing)
                : new OrderSettlement(o.ClientOrderId, SettlementOutcome.Unresolved, o.State, o.State, o.VenueOrderId, o.VenueExecutedQuantity,
                    o.FilledQuantity, missing, 0, "not asked about: query it (order.status)", venue.Time);
            if (s.UnaccountedQuantity > 0)
            {
                discrepancies.Add($"{o.ClientOrderId}: the venue executed {s.VenueExecutedQuantity}, the journal and the trades fetched show {s.VenueExecutedQuantity - s.UnaccountedQuantity}; fetch trades further back");
            }

            if (v is not null && o.IsFinal && s.State != o.State)
            {
                discrepancies.Add($"{o.ClientOrderId}: the journal had it {o.State}, the venue says {v.Status}");
            }

            settlements.Add(s);
        }

        var unknown = venue.OpenOrders.Where(v => !known.Contains(v.ClientOrderId))
            .OrderBy(v => v.UpdateTime).ThenBy(v => v.OrderId).Select(v => new UnknownOrder(v, unknownOrders)).ToArray();
        var foreign = newTrades.Where(t => !claimed.Contains(t.OrderId)).OrderBy(t => t.Time).ThenBy(t => t.TradeId).ToArray();
        return new ReconciliationReport(settlements, unknown, foreign, venue.Balances, journal.LastSnapshot, discrepancies);
    }

    private static OrderSettlement FromAnswer(JournalOrder o, VenueOrderState v, VenueTrade[] missing)
    {
        var state = StateOf(v.Status);
        var booked = o.FilledQuantity + missing.Sum(t => t.Quantity);
        var unaccounted = Math.Max(0, v.ExecutedQuantity - booked);
        var open = state is LiveOrderState.New or LiveOrderState.PartiallyFilled or LiveOrderState.PendingCancel;
        var outcome = open ? SettlementOutcome.StillOpen
            : state == o.State && missing.Length == 0 ? SettlementOutcome.Unchanged
            : SettlementOutcome.Settled;
        var notes = new List<string>();
        if (o.State is LiveOrderState.PendingNew or LiveOrderState.Unknown)
        {
            notes.Add(o.SentRequestId == 0 ? "placed, though the journal never saw it sent" : "placed; its answer was lost");
        }

        if (o.State == LiveOrderState.PendingCancel && state == LiveOrderState.Filled)
        {
            notes.Add("the cancel lost the race to a fill");
        }

        if (missing.Length > 0)
        {
            notes.Add($"{missing.Length} fill(s) never reported");
        }

        if (notes.Count == 0)
        {
            notes.Add(open ? "working at the venue" : state == o.State ? "as journalled" : $"the venue says {v.Status}");
        }

        return new OrderSettlement(o.ClientOrderId, outcome, o.State, state, v.OrderId, v.ExecutedQuantity, o.FilledQuantity,
            missing, unaccounted, string.Join("; ", notes));
    }

    private static OrderSettlement FromNotFound(JournalOrder o, VenueTrade[] missing, long now, long recvWindowMs, List<string> discrepancies)
    {
        if (o.VenueOrderId != 0 || o.FilledQuantity > 0 || missing.Length > 0 || o.State is not (LiveOrderState.PendingNew or LiveOrderState.Unknown))
        {
            // The venue once had it: an old order it no longer reports (spot archives canceled orders without fills).
            var filled = o.FilledQuantity + missing.Sum(t => t.Quantity);
            var state = o.Quantity > 0 && filled >= o.Quantity ? LiveOrderState.Filled : LiveOrderState.Canceled;
            discrepancies.Add($"{o.ClientOrderId}: the venue had it (journal: {o.State}, venue id {o.VenueOrderId}) but no longer finds it");
            return new OrderSettlement(o.ClientOrderId, SettlementOutcome.Settled, o.State, state, o.VenueOrderId, filled,
                o.FilledQuantity, missing, 0, "no longer at the venue; closed with the fills known");
        }

        var lastSeen = Math.Max(o.Created, o.Updated);
        if (now < lastSeen + recvWindowMs)
        {
            return new OrderSettlement(o.ClientOrderId, SettlementOutcome.Unresolved, o.State, o.State, 0, 0, 0, missing, 0,
                "not found yet, but its request may still arrive", lastSeen + recvWindowMs);
        }

        var why = o.SentRequestId == 0 ? "the intent never left" : "sent, but the venue never received it";
        return new OrderSettlement(o.ClientOrderId, SettlementOutcome.NeverPlaced, o.State, LiveOrderState.Rejected, 0, 0, 0,
            missing, 0, why);
    }

    private static OrderSettlement FromJournal(JournalOrder o, VenueTrade[] missing) =>
        new(o.ClientOrderId, missing.Length == 0 ? SettlementOutcome.Unchanged : SettlementOutcome.Settled, o.State, o.State,
            o.VenueOrderId, o.VenueExecutedQuantity, o.FilledQuantity, missing, 0,
            missing.Length == 0 ? "final in the journal" : $"{missing.Length} fill(s) never reported");

    /// <summary>The engine's state for a venue status.</summary>
    public static LiveOrderState StateOf(VenueOrderStatus status) => status switch
    {
        VenueOrderStatus.New or VenueOrderStatus.PendingNew => LiveOrderState.New,
        VenueOrderStatus.PartiallyFilled => LiveOrderState.PartiallyFilled,
        VenueOrderStatus.Filled => LiveOrderState.Filled,
        VenueOrderStatus.Canceled => LiveOrderState.Canceled,
        VenueOrderStatus.PendingCancel => LiveOrderState.PendingCancel,
        VenueOrderStatus.Rejected => LiveOrderState.Rejected,
        VenueOrderStatus.Expired or VenueOrderStatus.ExpiredInMatch => LiveOrderState.Expired,
        _ => LiveOrderState.Unknown,
    };
}
