using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Core.Execution;

/// <summary>
/// Where an order fills against a candle (the backtest) or against the best bid/ask (live paper trading), shared so
/// that both fill the same order the same way. Pure functions of the order's terms and the market, so that each rule
/// is tested on its own; who may afford the fill is the caller's business.
/// <para>Against a candle (the order was working when it opened):</para>
/// <list type="bullet">
/// <item>Market: at the reference price (the open, or the signal's close with trade-on-close), plus slippage.</item>
/// <item>Buy limit L: fills when low ≤ L, at min(open, L) — the open when the candle opens through the limit.
/// Sell limit: when high ≥ L, at max(open, L). No slippage: a limit never fills worse than its price.</item>
/// <item>Buy stop S: triggers when high ≥ S, at max(open, S), plus slippage. Sell stop: when low ≤ S, at
/// min(open, S), minus slippage.</item>
/// </list>
/// <para>Against a quote (the top of the book stands for all of it: no depth, no queue position):</para>
/// <list type="bullet">
/// <item>Market: a buy at the ask, a sell at the bid, plus slippage.</item>
/// <item>Buy limit L: fills when ask ≤ L, at the ask; sell limit: when bid ≥ L, at the bid.</item>
/// <item>Buy stop S: triggers when ask ≥ S, at the ask plus slippage; sell stop: when bid ≤ S, at the bid minus slippage.</item>
/// </list>
/// Slippage moves the price against the trader by <c>bps / 10 000</c> and rounds it to the tick grid, again against
/// the trader (a buy rounds up, a sell down), since an exchange only fills on ticks.
/// </summary>
public static class FillModel
{
    /// <summary>
    /// The fill price of a limit or stop-market order within <paramref name="candle"/>, or null when it does not fill
    /// there (and for a market order: its price is the reference, see <see cref="Slip"/>).
    /// </summary>
    public static decimal? PriceInCandle(OrderType type, OrderSide side, decimal limitPrice, decimal stopPrice, in Candle candle, double slippageBps, Instrument instrument)
    {
        var open = ToDecimal(candle.Open);
        switch (type)
        {
            case OrderType.Limit when side == OrderSide.Buy:
                return ToDecimal(candle.Low) <= limitPrice ? Math.Min(open, limitPrice) : null;
            case OrderType.Limit:
                return ToDecimal(candle.High) >= limitPrice ? Math.Max(open, limitPrice) : null;
            case OrderType.StopMarket when side == OrderSide.Buy:
                return ToDecimal(candle.High) >= stopPrice ? Slip(Math.Max(open, stopPrice), OrderSide.Buy, slippageBps, instrument) : null;
            case OrderType.StopMarket:
                return ToDecimal(candle.Low) <= stopPrice ? Slip(Math.Min(open, stopPrice), OrderSide.Sell, slippageBps, instrument) : null;
            default:
                return null;
        }
    }

    /// <summary><see cref="PriceInCandle(OrderType, OrderSide, decimal, decimal, in Candle, double, Instrument)"/> for an order's view.</summary>
    public static decimal? PriceInCandle(in OrderView order, in Candle candle, double slippageBps, Instrument instrument) =>
        PriceInCandle(order.Type, order.Side, order.Price, order.StopPrice, candle, slippageBps, instrument);

    /// <summary>The fill price of any order against the best bid/ask <paramref name="quote"/>, or null when it does not fill there.</summary>
    public static decimal? PriceAtQuote(OrderType type, OrderSide side, decimal limitPrice, decimal stopPrice, in Quote quote, double slippageBps, Instrument instrument)
    {
        var bid = ToDecimal(quote.BidPrice);
        var ask = ToDecimal(quote.AskPrice);
        return (type, side) switch
        {
            (OrderType.Market, OrderSide.Buy) => Slip(ask, OrderSide.Buy, slippageBps, instrument),
            (OrderType.Market, _) => Slip(bid, OrderSide.Sell, slippageBps, instrument),
            (OrderType.Limit, OrderSide.Buy) => ask <= limitPrice ? ask : null,
            (OrderType.Limit, _) => bid >= limitPrice ? bid : null,
            (OrderType.StopMarket, OrderSide.Buy) => ask >= stopPrice ? Slip(ask, OrderSide.Buy, slippageBps, instrument) : null,
            (OrderType.StopMarket, _) => bid <= stopPrice ? Slip(bid, OrderSide.Sell, slippageBps, instrument) : null,
            _ => null,
        };
    }

    /// <summary><see cref="PriceAtQuote(OrderType, OrderSide, decimal, decimal, in Quote, double, Instrument)"/> for an order's view.</summary>
    public static decimal? PriceAtQuote(in OrderView order, in Quote quote, double slippageBps, Instrument instrument) =>
        PriceAtQuote(order.Type, order.Side, order.Price, order.StopPrice, quote, slippageBps, instrument);

    /// <summary>
    /// Which leg of a one-cancels-other pair fills within <paramref name="candle"/>: the stop when the candle reaches
    /// it — also when it reaches the limit too, since a candle does not tell which came first (the pessimistic rule) —
    /// else the limit when the candle reaches it, else neither. The price is the leg's fill price.
    /// </summary>
    public static (OcoLeg Leg, decimal Price) OcoInCandle(in OrderView stopLoss, in OrderView takeProfit, in Candle candle, double slippageBps, Instrument instrument)
    {
        if (PriceInCandle(stopLoss, candle, slippageBps, instrument) is { } stop)
        {
            return (OcoLeg.StopLoss, stop);
        }

        return PriceInCandle(takeProfit, candle, slippageBps, instrument) is { } limit ? (OcoLeg.TakeProfit, limit) : (OcoLeg.None, 0);
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
    /// with q × price × (1 + <paramref name="cashFeeRate"/>) ≤ budget. Pass the rate of the fee paid out of cash:
    /// zero for a buy whose fee is taken from the base asset received (<see cref="FeeAsset.Received"/>).
    /// </summary>
    public static decimal QuantityForBudget(decimal budget, decimal price, decimal cashFeeRate, Instrument instrument)
    {
        if (price <= 0 || budget <= 0)
        {
            return 0;
        }

        // Estimate in double, then settle exactly with decimal multiplications (a decimal division is far slower).
        var unit = price * (1 + cashFeeRate);
        var step = instrument.LotStep > 0 ? instrument.LotStep : 0.00000001m;
        var q = instrument.RoundQuantityDown((decimal)((double)budget / (double)unit));
        // The estimate is off by up to ~1e-15 of q (a double has 15-16 digits, a decimal made from one keeps 15): with
        // a large budget and a fine lot that is millions of lots, so a far estimate first jumps (a decimal division,
        // only then) to within a lot or two; the steps below settle it exactly. The answer, the largest lot multiple
        // that fits, and its scale are the same as stepping all the way.
        var lotCost = step * unit;
        var over = q * unit - budget;
        if (over > 2 * lotCost)
        {
            q -= decimal.Floor(over / lotCost) * step;
        }

        while (q > 0 && q * unit > budget)
        {
            q -= step;
        }

        var under = budget - (q * unit);
        if (under > 2 * lotCost)
        {
            q += (decimal.Floor(under / lotCost) - 1) * step;
        }

        while ((q + step) * unit <= budget)
        {
            q += step;
        }

        return q;
    }

    /// <summary>
    /// Exact decimal of a market price held as a double. Prices in the data are printed with at most 8 decimals;
    /// rounding the double to 8 places recovers the printed value exactly instead of the binary approximation's tail.
    /// The value, scale included, is <c>decimal.Round((decimal)price, 8)</c>'s; for the usual price (positive, below
    /// 10^7, at most 8 decimals) it is worked out without the runtime's double-to-decimal conversion, which costs more
    /// than the rest of a fill's price handling: see <see cref="ShortDecimal"/>.
    /// </summary>
    public static decimal ToDecimal(double price) =>
        ShortDecimal(price) is { } exact ? exact : decimal.Round((decimal)price, 8);

    /// <summary>
    /// k / 10^s with the smallest s ≤ 8 for which <paramref name="price"/> is the double nearest to k / 10^s, when
    /// 0 &lt; price &lt; 10^7 (so k &lt; 10^15, at most 15 digits); null otherwise. That is the conversion's result
    /// to the bit: (decimal)price rounds the double's exact value to 15 significant digits, the double lies within
    /// half an ulp (1.1·10^−16 relative) of k / 10^s while the 15-digit grid around it is at least 10^−15 relative
    /// wide, so the rounding lands on k / 10^s, and the conversion drops trailing zeros (the smallest s); rounding to
    /// 8 places then keeps it. Trap: this is .NET 10's conversion (15 digits); a runtime whose (decimal)double keeps
    /// more digits gives the slow path another scale, and FillModelTests' comparison with it fails — on purpose.
    /// </summary>
    private static decimal? ShortDecimal(double price)
    {
        if (!(price > 0 && price < 1e7))
        {
            return null;
        }

        // price × 10^8 is below 10^15 < 2^53: its rounding to an integer is exact, and units / 10^8 in double is the
        // correctly rounded quotient of two exact values, so the equality holds exactly when price is that nearest double.
        var units = (long)Math.Round(price * 1e8);
        if (units / 1e8 != price)
        {
            return null;
        }

        var scale = 8;
        if (units % 1_000_000 == 0)
        {
            // Two decimals or fewer, the usual market price: six zeros at once.
            units /= 1_000_000;
            scale = 2;
        }

        while (scale > 0 && units % 10 == 0)
        {
            units /= 10;
            scale--;
        }

        return new decimal((int)units, (int)(units >> 32), 0, false, (byte)scale);
    }
}
