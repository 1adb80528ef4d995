namespace Trading.Core.Orders;

/// <summary>Which asset a fill's commission is charged in (see <see cref="Commission"/> for the amount and its rounding).</summary>
public enum FeeAsset : byte
{
    /// <summary>Every commission in the quote asset (cash), as backtrader and most backtesters charge it.</summary>
    Quote,

    /// <summary>
    /// In the asset the fill delivers, as Binance spot charges it without BNB: a buy pays in the base asset (buying q
    /// leaves q − fee held), a sell in the quote asset.
    /// </summary>
    Received,
}
