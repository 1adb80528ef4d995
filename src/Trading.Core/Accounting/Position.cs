namespace Trading.Core.Accounting;

/// <summary>
/// A net position in one instrument. <see cref="Quantity"/> is signed: positive long, negative short, zero flat.
/// <see cref="AveragePrice"/> is the volume-weighted entry price of the open quantity (zero when flat).
/// </summary>
public readonly record struct Position(decimal Quantity, decimal AveragePrice)
{
    // decimal.Sign reads the sign from the bits: the operators with 0m go through the general comparison.
    public bool IsFlat => decimal.Sign(Quantity) == 0;

    public bool IsLong => decimal.Sign(Quantity) > 0;

    public bool IsShort => decimal.Sign(Quantity) < 0;

    /// <summary>(mark − average) × quantity: what closing at <paramref name="mark"/> would realise, before fees.</summary>
    public decimal UnrealizedPnl(decimal mark) => (mark - AveragePrice) * Quantity;
}
