namespace Trading.Live.Binance;

/// <summary>An execution report's <c>x</c> (binance.md §4.2).</summary>
public enum ExecutionType : byte
{
    Unknown,
    New,
    Canceled,
    Replaced,
    Rejected,
    Trade,
    Expired,
    TradePrevention,
}
