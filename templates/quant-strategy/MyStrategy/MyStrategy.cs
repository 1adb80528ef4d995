using Trading.Core.Indicators;
using Trading.Core.Market;
using Trading.Core.Strategies;

namespace MyStrategy;

/// <summary>
/// Long while the close is above its simple moving average, flat below it. A starting point: change the rule in
/// <see cref="OnCandle"/>, the parameters in <see cref="Descriptor"/>.
/// </summary>
public sealed class MyStrategy : IStrategy
{
    private readonly Sma _average;
    private readonly Sizing _sizing;

    public MyStrategy(ParameterSet p)
    {
        _average = new Sma(p.GetInt("period"));
        _sizing = Sizing.From(p);
    }

    /// <summary>
    /// Found by quant's <c>--strategy-assembly</c>: a public static property of this type. Its name is what
    /// <c>--strategy</c> takes; the parameters are what <c>--param</c> sets and <c>quant optimize --grid</c> sweeps.
    /// The last argument is the warm-up: candles the indicator needs before the first signal.
    /// </summary>
    public static StrategyDescriptor Descriptor { get; } = new(
        "STRATEGY_NAME",
        "Long while the close is above its moving average.",
        [
            ParameterSpec.Int("period", 50, 2, 500, 5, "Moving average period (candles)"),
            Sizing.SizeParameter,
            Sizing.QuantityParameter,
        ],
        p => new MyStrategy(p),
        p => p.GetInt("period"));

    public void OnCandle(IStrategyContext context, in Candle candle)
    {
        _average.Update(candle.Close);
        if (!_average.IsReady || !context.OpenOrders.IsEmpty)
        {
            return;
        }

        if (candle.Close > _average.Value && context.Position.IsFlat)
        {
            context.Submit(_sizing.Entry(context, Trading.Core.Orders.OrderSide.Buy));
        }
        else if (candle.Close < _average.Value && context.Position.IsLong && Sizing.Exit(context, "below-average") is { } exit)
        {
            context.Submit(exit);
        }
    }
}
