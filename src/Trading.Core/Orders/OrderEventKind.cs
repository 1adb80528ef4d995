namespace Trading.Core.Orders;

public enum OrderEventKind : byte
{
    /// <summary>The venue (or the backtest) accepted the order; it is open.</summary>
    Accepted,

    /// <summary>Refused before it was ever open: risk limits, filters, insufficient funds. <see cref="OrderEvent.Reason"/> says why.</summary>
    Rejected,

    /// <summary>A fill, partial or complete; <see cref="OrderEvent.Fill"/> holds it and the order's status tells which.</summary>
    Filled,

    Canceled,

    /// <summary>Ended without a full fill by time in force (IOC/FOK) or by the end of a backtest.</summary>
    Expired,
}
