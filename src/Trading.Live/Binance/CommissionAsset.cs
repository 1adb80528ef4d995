namespace Trading.Live.Binance;

/// <summary>Which of the instrument's assets a commission was charged in, as a report names it (<c>N</c>); not the
/// account's rule, which is Core's <see cref="Trading.Core.Orders.FeeAsset"/>.</summary>
public enum CommissionAsset : byte
{
    /// <summary>No commission on this event (not a fill, or <c>N</c> null).</summary>
    None,
    Base,
    Quote,

    /// <summary>A third asset (BNB): the position and cash do not move by it.</summary>
    Other,
}
