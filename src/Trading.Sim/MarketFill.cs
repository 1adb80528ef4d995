namespace Trading.Sim;

/// <summary>When and at what price a MARKET order fills.</summary>
public enum MarketFill
{
    /// <summary>At once, in full, at the current best price (ask for a BUY, bid for a SELL), as Binance does.</summary>
    Touch,

    /// <summary>
    /// Acknowledged NEW at once, then filled in full at the best price right after the next replayed trade print (the
    /// print's price ± half the spread). In lockstep, after a kline close the next print is the next candle's open: the
    /// backtest's default fill. A fill the account can no longer pay for (the price moved) expires the order instead.
    /// </summary>
    NextPrint,
}
