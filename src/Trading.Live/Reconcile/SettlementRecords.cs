using Trading.Live.Journal;
using Trading.Live.Orders;

namespace Trading.Live.Reconcile;

/// <summary>
/// The journal records that make a reconciliation stick: each missing fill (idempotent by trade id) and the settled
/// state, so that the next restart starts from the venue's truth and finds nothing left to settle.
/// Unchanged and unresolved settlements produce nothing.
/// </summary>
public static class SettlementRecords
{
    /// <summary>The records for <paramref name="s"/>, fills first, at venue time <paramref name="now"/>.</summary>
    public static IEnumerable<JournalRecord> For(OrderSettlement s, long now)
    {
        if (s.Outcome is SettlementOutcome.Unresolved)
        {
            yield break;
        }

        foreach (var t in s.MissingFills)
        {
            yield return new JournalRecord
            {
                Kind = JournalRecordKind.Fill, Time = t.Time, ClientOrderId = s.ClientOrderId, Side = t.Side,
                VenueOrderId = t.OrderId, TradeId = t.TradeId, LastQuantity = t.Quantity, LastPrice = t.Price,
                Commission = t.Commission, CommissionAsset = t.CommissionAsset, IsMaker = t.IsMaker,
                CumulativeQuantity = s.VenueExecutedQuantity,
                State = s.State == LiveOrderState.Filled ? LiveOrderState.PartiallyFilled : s.State,
            };
        }

        if (s.Outcome != SettlementOutcome.Unchanged)
        {
            yield return new JournalRecord
            {
                Kind = JournalRecordKind.State, Time = now, ClientOrderId = s.ClientOrderId, State = s.State,
                VenueOrderId = s.VenueOrderId, CumulativeQuantity = s.VenueExecutedQuantity, Text = "reconciled: " + s.Note,
            };
        }
    }
}
