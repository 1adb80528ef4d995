using Trading.Core.Orders;
using Trading.Live.Binance;
using Trading.Live.Journal;
using Trading.Live.Orders;
using Trading.Live.Reconcile;

namespace Trading.Live.Tests.Reconcile;

/// <summary>Restart reconciliation on hand-built journals and venue answers.</summary>
public sealed class ReconcilerTests
{
    private const long Now = 1_700_000_100_000;

    private static JournalOrder Order(string id, LiveOrderState state, decimal qty = 1m, long venueId = 0, decimal filled = 0,
        long sent = 7, long created = Now - 60_000) =>
        new(id, created, OrderSide.Buy, OrderType.Limit, TimeInForce.Gtc, qty, 100m, 0, 0, null, state, venueId, filled, sent, created, null, filled);

    private static JournalFill Fill(string id, long trade, decimal qty, long venueId) =>
        new(trade, id, Now - 50_000, OrderSide.Buy, venueId, qty, 100m, 0.01m, CommissionAsset.Quote, false);

    private static VenueOrderState Venue(string id, VenueOrderStatus status, long orderId, decimal executed = 0, decimal qty = 1m) =>
        new(id, orderId, status, OrderSide.Buy, 100m, qty, executed, Now - 10_000);

    private static VenueTrade Trade(long trade, long orderId, decimal qty) =>
        new(trade, orderId, OrderSide.Buy, qty, 100m, 0.01m, CommissionAsset.Quote, false, Now - 20_000 + trade);

    private static JournalState Journal(JournalOrder[] orders, JournalFill[]? fills = null) =>
        new(orders, fills ?? [], [new JournalSnapshot(Now - 70_000, 0, 1000m)], Now - 50_000, fills?.Max(f => f.TradeId) ?? 0);

    private static VenueView View(VenueOrderState[]? open = null, VenueOrderState[]? queried = null, string[]? notFound = null, VenueTrade[]? trades = null) =>
        new(Now, open ?? [], queried ?? [], notFound ?? [], trades ?? [], new VenueBalances(1m, 0, 899.99m, 0));

    [Fact]
    public void The_plan_asks_about_every_order_not_known_final_and_the_trades_after_the_last()
    {
        var journal = Journal([Order("a", LiveOrderState.Filled, venueId: 1, filled: 1), Order("b", LiveOrderState.New, venueId: 2), Order("c", LiveOrderState.PendingNew)],
            [Fill("a", 41, 1m, 1)]);
        var plan = Reconciler.Plan(journal);
        Assert.Equal(["b", "c"], plan.ToQuery);
        Assert.Equal((42L, Now - 50_000), (plan.FromTradeId, plan.SinceTime));
    }

    [Fact]
    public void An_order_placed_but_never_acked_is_taken_over_as_open()
    {
        var journal = Journal([Order("q1-1", LiveOrderState.PendingNew)]);
        var venue = View(open: [Venue("q1-1", VenueOrderStatus.New, 501)], queried: [Venue("q1-1", VenueOrderStatus.New, 501)]);
        var report = Reconciler.Reconcile(journal, venue, UnknownOrderPolicy.Cancel);
        var s = Assert.Single(report.Settlements);
        Assert.Equal((SettlementOutcome.StillOpen, LiveOrderState.New, 501L), (s.Outcome, s.State, s.VenueOrderId));
        Assert.Equal("placed; its answer was lost", s.Note);
        Assert.Empty(report.UnknownOrders);
        Assert.Equal(["q1-1"], report.OpenClientOrderIds);
        Assert.True(report.IsComplete);
    }

    [Fact]
    public void A_fill_never_reported_is_found_among_the_trades_and_booked_once()
    {
        var journal = Journal([Order("q1-1", LiveOrderState.PartiallyFilled, venueId: 501, filled: 0.4m)], [Fill("q1-1", 1, 0.4m, 501)]);
        var venue = View(queried: [Venue("q1-1", VenueOrderStatus.Filled, 501, executed: 1m)],
            trades: [Trade(1, 501, 0.4m), Trade(2, 501, 0.6m), Trade(2, 501, 0.6m)]); // trade 1 journalled; trade 2 listed twice
        var report = Reconciler.Reconcile(journal, venue, UnknownOrderPolicy.Cancel);
        var s = Assert.Single(report.Settlements);
        Assert.Equal((SettlementOutcome.Settled, LiveOrderState.Filled, 0m), (s.Outcome, s.State, s.UnaccountedQuantity));
        Assert.Equal([2L], s.MissingFills.Select(t => t.TradeId));
        Assert.Equal("1 fill(s) never reported", s.Note);
        Assert.Empty(report.ForeignTrades);
        Assert.True(report.IsComplete);
    }

    [Fact]
    public void Fills_the_trades_fetched_do_not_cover_are_a_discrepancy()
    {
        var journal = Journal([Order("q1-1", LiveOrderState.New, venueId: 501)]);
        var venue = View(queried: [Venue("q1-1", VenueOrderStatus.Filled, 501, executed: 1m)], trades: [Trade(9, 501, 0.25m)]);
        var report = Reconciler.Reconcile(journal, venue, UnknownOrderPolicy.Cancel);
        Assert.Equal(0.75m, Assert.Single(report.Settlements).UnaccountedQuantity);
        Assert.False(report.IsComplete);
        Assert.Equal("q1-1: the venue executed 1, the journal and the trades fetched show 0.25; fetch trades further back", Assert.Single(report.Discrepancies));
    }

    [Fact]
    public void A_cancel_that_lost_to_a_fill_ends_filled()
    {
        var journal = Journal([Order("q1-1", LiveOrderState.PendingCancel, venueId: 501)]);
        var venue = View(queried: [Venue("q1-1", VenueOrderStatus.Filled, 501, executed: 1m)], trades: [Trade(3, 501, 1m)]);
        var s = Assert.Single(Reconciler.Reconcile(journal, venue, UnknownOrderPolicy.Cancel).Settlements);
        Assert.Equal((SettlementOutcome.Settled, LiveOrderState.PendingCancel, LiveOrderState.Filled), (s.Outcome, s.JournalState, s.State));
        Assert.Equal("the cancel lost the race to a fill; 1 fill(s) never reported", s.Note);
    }

    [Fact]
    public void Orders_the_journal_does_not_know_are_cancelled_or_adopted_as_told_and_their_trades_are_foreign()
    {
        var journal = Journal([Order("q1-1", LiveOrderState.Filled, venueId: 501, filled: 1m)], [Fill("q1-1", 1, 1m, 501)]);
        var stranger = Venue("web_manual7", VenueOrderStatus.PartiallyFilled, 777, executed: 0.1m);
        var venue = View(open: [stranger], trades: [Trade(5, 777, 0.1m)]);
        var cancel = Reconciler.Reconcile(journal, venue, UnknownOrderPolicy.Cancel);
        Assert.Equal(new UnknownOrder(stranger, UnknownOrderPolicy.Cancel), Assert.Single(cancel.UnknownOrders));
        Assert.Empty(cancel.OpenClientOrderIds);
        Assert.Equal([5L], cancel.ForeignTrades.Select(t => t.TradeId));
        Assert.Equal(SettlementOutcome.Unchanged, Assert.Single(cancel.Settlements).Outcome);
        var adopt = Reconciler.Reconcile(journal, venue, UnknownOrderPolicy.Adopt);
        Assert.Equal(["web_manual7"], adopt.OpenClientOrderIds);
    }

    [Fact]
    public void An_intent_that_never_left_is_closed_never_resent_once_it_can_no_longer_arrive()
    {
        var old = Order("q1-1", LiveOrderState.PendingNew, sent: 0, created: Now - 60_000);
        var fresh = Order("q1-2", LiveOrderState.PendingNew, sent: 9, created: Now - 2_000);
        var report = Reconciler.Reconcile(Journal([old, fresh]), View(notFound: ["q1-1", "q1-2"]), UnknownOrderPolicy.Cancel);
        var (a, b) = (report.Settlements[0], report.Settlements[1]);
        Assert.Equal((SettlementOutcome.NeverPlaced, LiveOrderState.Rejected, "the intent never left"), (a.Outcome, a.State, a.Note));
        Assert.Equal((SettlementOutcome.Unresolved, LiveOrderState.PendingNew, Now + 3_000), (b.Outcome, b.State, b.RetryAt));
        Assert.False(report.IsComplete);
    }

    [Fact]
    public void An_acked_order_the_venue_no_longer_finds_is_closed_with_its_fills_and_flagged()
    {
        var journal = Journal([Order("q1-1", LiveOrderState.New, venueId: 501)]);
        var report = Reconciler.Reconcile(journal, View(notFound: ["q1-1"]), UnknownOrderPolicy.Cancel);
        Assert.Equal(LiveOrderState.Canceled, Assert.Single(report.Settlements).State);
        Assert.Contains("no longer finds it", Assert.Single(report.Discrepancies), StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_prints_every_change_the_strangers_and_the_venues_balances()
    {
        var journal = Journal([Order("q1-1", LiveOrderState.PendingCancel, venueId: 501), Order("q1-2", LiveOrderState.PendingNew, sent: 0)]);
        var venue = View(open: [Venue("x-9", VenueOrderStatus.New, 900, qty: 2m)], queried: [Venue("q1-1", VenueOrderStatus.Filled, 501, executed: 1m)],
            notFound: ["q1-2"], trades: [Trade(3, 501, 1m)]);
        Assert.Equal(
        [
            "reconciliation: 2 journalled orders checked, 2 settled, 1 unknown at the venue, 0 foreign trades",
            "  q1-1: PendingCancel -> Filled (settled; executed 1, 1 missing fills booked (1)): the cancel lost the race to a fill; 1 fill(s) never reported",
            "  q1-2: PendingNew -> Rejected (never placed; executed 0): the intent never left",
            "  unknown x-9 (venue id 900) buy 2 @ 100, executed 0: cancel",
            "  balances from the venue: base 1 (0 locked), quote 899.99 (0 locked) (journal's last snapshot: base 0, quote 1000)",
        ], Reconciler.Reconcile(journal, venue, UnknownOrderPolicy.Cancel).Lines());
    }
}
