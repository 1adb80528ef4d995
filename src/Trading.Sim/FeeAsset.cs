namespace Trading.Sim;

/// <summary>Which asset a fill's commission is charged in.</summary>
public enum FeeAsset
{
    /// <summary>
    /// As Binance spot (faqs/commission_faq.md): in the asset received — a BUY pays in the base asset (quantity × rate),
    /// a SELL in the quote asset (notional × rate); each rounded to 8 decimals, midpoint away from zero.
    /// </summary>
    Received,

    /// <summary>Always in the quote asset, executed notional × rate (8 decimals, midpoint away from zero): a backtest that
    /// charges fees in quote matches it to the last digit. A BUY then needs notional + fee of free quote.</summary>
    Quote,
}
