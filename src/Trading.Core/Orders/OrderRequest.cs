namespace Trading.Core.Orders;

/// <summary>
/// What a strategy asks for. Quantities are base-asset amounts, exact decimals; the engine rounds them down to the
/// lot step and checks them against the instrument's filters before they go anywhere. The engine numbers every order
/// (<see cref="Orders.ClientOrderId"/>); a strategy tells its orders apart by the id Submit returns or by <see cref="Tag"/>.
/// </summary>
/// <param name="Quantity">Base-asset quantity. Zero for a market buy sized by <paramref name="QuoteQuantity"/>.</param>
/// <param name="Price">Limit price (limit orders only).</param>
/// <param name="StopPrice">Trigger price (stop-market orders only).</param>
/// <param name="QuoteQuantity">
/// Market orders only, instead of <paramref name="Quantity"/>: spend at most this much quote asset, fee included
/// (Binance's <c>quoteOrderQty</c>). The filled quantity is the largest lot multiple whose cost plus fee fits.
/// </param>
/// <param name="Tag">Free text carried to fills and trades, e.g. the exit reason ("signal", "stop-loss").</param>
public readonly record struct OrderRequest(
    OrderSide Side,
    OrderType Type,
    decimal Quantity,
    decimal Price = 0,
    decimal StopPrice = 0,
    decimal QuoteQuantity = 0,
    TimeInForce TimeInForce = TimeInForce.Gtc,
    string? Tag = null)
{
    public static OrderRequest Market(OrderSide side, decimal quantity, string? tag = null) =>
        new(side, OrderType.Market, quantity, Tag: tag);

    /// <summary>A market buy (or sell) spending at most <paramref name="quoteQuantity"/> of the quote asset, fee included.</summary>
    public static OrderRequest MarketQuote(OrderSide side, decimal quoteQuantity, string? tag = null) =>
        new(side, OrderType.Market, 0, QuoteQuantity: quoteQuantity, Tag: tag);

    public static OrderRequest Limit(OrderSide side, decimal quantity, decimal price, TimeInForce tif = TimeInForce.Gtc, string? tag = null) =>
        new(side, OrderType.Limit, quantity, Price: price, TimeInForce: tif, Tag: tag);

    public static OrderRequest StopMarket(OrderSide side, decimal quantity, decimal stopPrice, string? tag = null) =>
        new(side, OrderType.StopMarket, quantity, StopPrice: stopPrice, Tag: tag);
}
