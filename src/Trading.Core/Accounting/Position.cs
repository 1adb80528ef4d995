namespace Trading.Core.Accounting;

/// <summary>
/// A net position in one instrument. <see cref="Quantity"/> is signed: positive long, negative short, zero flat.
/// <see cref="AveragePrice"/> is the volume-weighted entry price of the open quantity (zero when flat).
/// </summary>
public readonly record struct Position(decimal Quantity, decimal AveragePrice)
{
    public bool IsFlat => Quantity == 0;

    public bool IsLong => Quantity > 0;

    public bool IsShort => Quantity < 0;

    /// <summary>(mark − average) × quantity: what closing at <paramref name="mark"/> would realise, before fees.</summary>
    public decimal UnrealizedPnl(decimal mark) => (mark - AveragePrice) * Quantity;
}
