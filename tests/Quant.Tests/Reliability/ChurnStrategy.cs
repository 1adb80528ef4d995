using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Quant.Tests.Reliability;

/// <summary>
/// Test support for the reliability tests: a strategy that keeps the order path busy, not one that makes money. At every
/// closed candle it cancels what is still working (cancels that race fills), then rests a limit buy a little below the
/// close, a limit sell a little above it when it holds something, and every <c>market</c>-th candle sends a market
/// order (a buy when flat, else it sells what it holds). Small fixed sizes, so cash and inventory last the whole run.
/// Loaded by <c>quant live --strategy-assembly</c> (this test assembly), named <c>churn</c>.
/// </summary>
public sealed class ChurnStrategy(ParameterSet p) : IStrategy
{
    private readonly decimal _quantity = (decimal)p.Get("qty");
    private readonly decimal _offset = (decimal)p.Get("offset_bps") / 10_000m;
    private readonly int _marketEvery = p.GetInt("market");
    private long _candles;

    public static StrategyDescriptor Descriptor { get; } = new(
        "churn",
        "Reliability test support: cancels and re-quotes limit orders around every close, market orders now and then.",
        [
            ParameterSpec.Real("qty", 0.002, 0.00001, 1, 0.00001, "base quantity of each order"),
            ParameterSpec.Real("offset_bps", 15, 1, 1000, 1, "limit prices this far from the close, basis points"),
            ParameterSpec.Int("market", 3, 1, 1000, 1, "a market order every N candles"),
        ],
        p => new ChurnStrategy(p));

    public void OnCandle(IStrategyContext context, in Candle candle)
    {
        if (context.IsWarmingUp)
        {
            return;
        }

        _candles++;
        foreach (var o in context.OpenOrders)
        {
            context.Cancel(o.Id);
        }

        var close = (decimal)candle.Close;
        var held = context.Position.Quantity;
        var instrument = context.Instrument;
        context.Submit(OrderRequest.Limit(OrderSide.Buy, _quantity, instrument.RoundPriceDown(close * (1 - _offset)), tag: "bid"));
        if (held >= _quantity)
        {
            context.Submit(OrderRequest.Limit(OrderSide.Sell, _quantity, instrument.RoundPriceUp(close * (1 + _offset)), tag: "ask"));
        }

        if (_candles % _marketEvery == 0)
        {
            context.Submit(held >= 2 * _quantity
                ? OrderRequest.Market(OrderSide.Sell, _quantity, "out")
                : OrderRequest.Market(OrderSide.Buy, _quantity, "in"));
        }
    }
}
