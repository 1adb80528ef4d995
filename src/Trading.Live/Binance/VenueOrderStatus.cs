namespace Trading.Live.Binance;

/// <summary>An order's status at the venue: an execution report's <c>X</c>, or <c>status</c> in API results (binance.md §4.2).</summary>
public enum VenueOrderStatus : byte
{
    Unknown,
    New,
    PendingNew,
    PartiallyFilled,
    Filled,
    Canceled,
    PendingCancel,
    Rejected,
    Expired,
    ExpiredInMatch,
}
