using Trading.Core.Orders;
using Trading.Live.Binance;

namespace Trading.Live.Reconcile;

/// <summary>One of the account's trades (myTrades / <c>myTrades</c> over the WebSocket API), found by the venue's order id.</summary>
public sealed record VenueTrade(
    long TradeId,
    long OrderId,
    OrderSide Side,
    decimal Quantity,
    decimal Price,
    decimal Commission,
    CommissionAsset CommissionAsset,
    bool IsMaker,
    long Time);
