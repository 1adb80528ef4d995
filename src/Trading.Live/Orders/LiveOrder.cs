using Trading.Core.Orders;

namespace Trading.Live.Orders;

/// <summary>
/// One order of this run, owned by the <see cref="OrderManager"/> on the loop thread: the Core <see cref="Core.Orders.Order"/>
/// the strategy sees, plus what the engine knows of it at the venue. Not thread-safe.
/// </summary>
public sealed class LiveOrder
{
    private readonly HashSet<long> _trades = [];

    internal LiveOrder(long sequence, ClientOrderId id, string venueId, Order order)
    {
        Sequence = sequence;
        Id = id;
        VenueId = venueId;
        Order = order;
    }

    /// <summary>The order's number in this run (its client order id's suffix).</summary>
    public long Sequence { get; }

    public ClientOrderId Id { get; }

    /// <summary>The client order id as the venue knows it (<c>newClientOrderId</c>, e.g. <c>q0k3j9x2a-17</c>): what the
    /// journal keeps, since it must match venue orders across runs.</summary>
    public string VenueId { get; }

    public Order Order { get; }

    public LiveOrderState State { get; internal set; }

    /// <summary>The venue's order id, once known (0 before).</summary>
    public long VenueOrderId { get; internal set; }

    /// <summary>Base quantity of the fills applied so far (each trade once).</summary>
    public decimal AppliedQuantity { get; internal set; }

    /// <summary>What the venue last said it had executed (from a report's <c>z</c> or a query); may run ahead of <see cref="AppliedQuantity"/>.</summary>
    public decimal VenueExecutedQuantity { get; internal set; }

    /// <summary>The id of the API request whose answer is awaited (place, cancel or status); 0 when none.</summary>
    public long PendingRequestId { get; internal set; }

    /// <summary>A final state the venue reported before all its fills arrived; applied once they have (out-of-order reports).</summary>
    internal LiveOrderState? DeferredFinal { get; set; }

    internal string? DeferredReason { get; set; }

    internal bool AcceptedReported { get; set; }

    public bool IsFinal => State is LiveOrderState.Filled or LiveOrderState.Canceled or LiveOrderState.Rejected or LiveOrderState.Expired;

    /// <summary>Working or possibly working at the venue: everything but final states.</summary>
    public bool IsOpen => !IsFinal;

    /// <summary>Records a trade id; false when it was already applied (a duplicate report).</summary>
    internal bool AddTrade(long tradeId) => _trades.Add(tradeId);

    public override string ToString() => $"{Id} {State} {Order}";
}
