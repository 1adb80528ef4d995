using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Backtest.Engine;

/// <summary>
/// Where an order fills within a candle. Pure functions of the order and the candle, so that each rule is tested
/// on its own.
/// <list type="bullet">
/// <item>Market: at the reference price (the next open, or this close with trade-on-close), plus slippage.</item>
/// <item>Buy limit L: fills when low ≤ L, at min(open, L) — the open when the candle opens through the limit.
/// Sell limit: when high ≥ L, at max(open, L). No slippage: a limit never fills worse than its price.</item>
/// <item>Buy stop S: triggers when high ≥ S, at max(open, S), plus slippage. Sell stop: when low ≤ S, at
/// min(open, S), minus slippage.</item>
/// </list>
/// Slippage moves the price against the trader by <c>bps / 10 000</c> and rounds it to the tick grid, again against
/// the trader (a buy rounds up, a sell down), since an exchange only fills on ticks.
/// </summary>
internal static class FillModel
{
    /// <summary>The fill price of <paramref name="order"/> within <paramref name="candle"/>, or null when it does not fill there.</summary>
    public static decimal? LimitOrStopPrice(Order order, in Candle candle, double slippageBps, Instrument instrument)
    {
        var open = ToDecimal(candle.Open);
        switch (order.Type)
        {
            case OrderType.Limit when order.Side == OrderSide.Buy:
                return ToDecimal(candle.Low) <= order.Price ? Math.Min(open, order.Price) : null;
            case OrderType.Limit:
                return ToDecimal(candle.High) >= order.Price ? Math.Max(open, order.Price) : null;
            case OrderType.StopMarket when order.Side == OrderSide.Buy:
                return ToDecimal(candle.High) >= order.StopPrice ? Slip(Math.Max(open, order.StopPrice), OrderSide.Buy, slippageBps, instrument) : null;
            case OrderType.StopMarket:
                return ToDecimal(candle.Low) <= order.StopPrice ? Slip(Math.Min(open, order.StopPrice), OrderSide.Sell, slippageBps, instrument) : null;
            default:
                return null;
        }
    }

    /// <summary>A market fill at <paramref name="reference"/> moved against the trader by the slippage.</summary>
    public static decimal Slip(decimal reference, OrderSide side, double slippageBps, Instrument instrument)
    {
        if (slippageBps == 0)
        {
            return reference;
        }

        var factor = (decimal)slippageBps / 10_000m;
        return side == OrderSide.Buy
            ? instrument.RoundPriceUp(reference * (1 + factor))
            : instrument.RoundPriceDown(reference * (1 - factor));
    }

    /// <summary>
    /// The base quantity a quote-sized order buys (or sells) at <paramref name="price"/>: the largest lot multiple q
    /// with q × price × (1 + fee) ≤ budget.
    /// </summary>
    public static decimal QuantityForBudget(decimal budget, decimal price, decimal feeRate, Instrument instrument)
    {
        if (price <= 0 || budget <= 0)
        {
            return 0;
        }

        // Estimate in double, then settle exactly with decimal multiplications (a decimal division is far slower).
        var unit = price * (1 + feeRate);
        var step = instrument.LotStep > 0 ? instrument.LotStep : 0.00000001m;
        var q = instrument.RoundQuantityDown((decimal)((double)budget / (double)unit));
        while (q > 0 && q * unit > budget)
        {
            q -= step;
        }

        while ((q + step) * unit <= budget)
        {
            q += step;
        }

        return q;
    }

    /// <summary>
    /// Exact decimal of a candle price. Prices in the data are printed with at most 8 decimals; rounding the double to
    /// 8 places recovers the printed value exactly instead of the binary approximation's tail.
    /// </summary>
    public static decimal ToDecimal(double price) => decimal.Round((decimal)price, 8);
}
