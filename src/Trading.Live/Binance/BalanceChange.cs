namespace Trading.Live.Binance;

/// <summary>
/// An <c>outboundAccountPosition</c> (the free/locked balances of the assets that changed) or a <c>balanceUpdate</c>
/// (a signed delta), reduced to the instrument's two assets; other assets are ignored.
/// </summary>
public struct BalanceChange
{
    public long EventTime;

    /// <summary>True for <c>balanceUpdate</c>: <see cref="Delta"/> of <see cref="DeltaAsset"/> is meaningful.</summary>
    public bool IsDelta;
    public CommissionAsset DeltaAsset;
    public decimal Delta;
    public bool HasBase;
    public decimal BaseFree;
    public decimal BaseLocked;
    public bool HasQuote;
    public decimal QuoteFree;
    public decimal QuoteLocked;
}
