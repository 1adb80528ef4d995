using Trading.Live.Orders;

namespace Trading.Live.Reconcile;

/// <summary>
/// One journalled order after reconciliation: the state the journal had, the state it really is in, the quantity the
/// venue executed, the fills the journal lacked (to book, each once, by trade id), and why.
/// <see cref="UnaccountedQuantity"/> &gt; 0 means the venue executed more than the journal and the trades fetched show:
/// fetch trades further back before trusting the position.
/// </summary>
public sealed record OrderSettlement(
    string ClientOrderId,
    SettlementOutcome Outcome,
    LiveOrderState JournalState,
    LiveOrderState State,
    long VenueOrderId,
    decimal VenueExecutedQuantity,
    decimal JournalFilledQuantity,
    IReadOnlyList<VenueTrade> MissingFills,
    decimal UnaccountedQuantity,
    string Note,
    long RetryAt = 0);
