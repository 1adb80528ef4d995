namespace Trading.Core.Orders;

public enum OrderType : byte
{
    /// <summary>Fills at the best available price (in a backtest: the next candle's open, or this close with trade-on-close).</summary>
    Market,

    /// <summary>Rests until the market trades at the limit price or better.</summary>
    Limit,

    /// <summary>Becomes a market order once the market trades through the stop price.</summary>
    StopMarket,
}
