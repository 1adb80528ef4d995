namespace Trading.Live.Orders;

/// <summary>
/// Where an order stands between the engine and the venue. The legal moves: PendingNew → New | PartiallyFilled |
/// Filled | Rejected | Unknown; New → PartiallyFilled | Filled | PendingCancel | Canceled | Expired; PartiallyFilled →
/// PartiallyFilled | Filled | PendingCancel | Canceled | Expired; PendingCancel → (back to) New | PartiallyFilled, or
/// Filled | Canceled | Expired; Unknown → anything a venue query reports. Filled, Canceled, Rejected and Expired are final.
/// </summary>
public enum LiveOrderState : byte
{
    /// <summary>Sent (or about to be), no answer yet.</summary>
    PendingNew,
    New,
    PartiallyFilled,
    Filled,

    /// <summary>A cancel was sent; the order may still fill until the venue confirms.</summary>
    PendingCancel,
    Canceled,
    Rejected,
    Expired,

    /// <summary>
    /// The place request got no definite answer (no ack in time, −1007, a 5xx, a dropped connection): the order may or
    /// may not exist. Settled by <c>order.status</c> by client order id — never by sending it again.
    /// </summary>
    Unknown,
}
