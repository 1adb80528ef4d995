namespace Trading.Core.Orders;

/// <summary>
/// An order's state. Legal transitions: New → PartiallyFilled → Filled; New or PartiallyFilled → Canceled or
/// Expired; New → Rejected. Filled, Canceled, Rejected and Expired are terminal.
/// </summary>
public enum OrderStatus : byte
{
    New,
    PartiallyFilled,
    Filled,
    Canceled,
    Rejected,
    Expired,
}
