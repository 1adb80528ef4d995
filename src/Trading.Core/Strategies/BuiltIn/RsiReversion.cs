using Trading.Core.Indicators;
using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Core.Strategies.BuiltIn;

/// <summary>
/// RSI mean reversion on closes (Wilder's RSI, <see cref="Rsi"/>). Level-based, not cross-based:
/// <list type="bullet">
/// <item>enter long when RSI_t &lt; <c>lower</c> while flat (so a run that starts, or a position that was closed,
/// below the band still enters);</item>
/// <item>exit the long when RSI_t &gt; <c>upper</c>.</item>
/// </list>
/// When the run allows shorts the rules mirror: RSI_t &gt; <c>upper</c> also opens a short (after the long's exit,
/// on the same candle), and RSI_t &lt; <c>lower</c> covers it (and goes long). Long-only otherwise.
/// No signal before the RSI is ready (on candle period + 1, so the declared warm-up is period candles), and none while one of its orders is still working (live:
/// an entry not yet filled must not be doubled). Strict inequalities: RSI exactly at a band does nothing.
/// </summary>
public sealed class RsiReversion : IStrategy
{
    private readonly Rsi _rsi;
    private readonly double _lower;
    private readonly double _upper;
    private readonly Sizing _sizing;

    public RsiReversion(ParameterSet p)
    {
        _rsi = new Rsi(p.GetInt("period"));
        _lower = p.Get("lower");
        _upper = p.Get("upper");
        _sizing = Sizing.From(p);
    }

    /// <summary>
    /// The ranges keep lower ≤ 50 ≤ upper, so every point of an optimizer's grid is a valid strategy.
    /// </summary>
    public static StrategyDescriptor Descriptor { get; } = new(
        "rsi-reversion",
        "Long when Wilder's RSI of closes is below the lower band while flat; exit when it rises above the upper band.",
        [
            ParameterSpec.Int("period", 14, 2, 100, 1, "RSI period (candles)"),
            ParameterSpec.Real("lower", 30, 5, 50, 5, "oversold level: enter when RSI < lower"),
            ParameterSpec.Real("upper", 70, 50, 95, 5, "overbought level: exit when RSI > upper"),
            Sizing.SizeParameter,
            Sizing.QuantityParameter,
        ],
        p => new RsiReversion(p),
        p => p.GetInt("period"));

    public void OnCandle(IStrategyContext context, in Candle candle)
    {
        _rsi.Update(candle.Close);
        if (!_rsi.IsReady)
        {
            return;
        }

        // Inside the bands (most candles) nothing can happen: the open orders and the position are read only outside.
        var rsi = _rsi.Value;
        if ((rsi < _lower || rsi > _upper) && context.OpenOrders.IsEmpty)
        {
            OnBand(context, rsi);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void OnBand(IStrategyContext context, double rsi)
    {
        var position = context.Position;
        if (rsi < _lower)
        {
            if (position.IsShort && Sizing.Exit(context) is { } cover)
            {
                context.Submit(cover);
            }

            if (!position.IsLong)
            {
                context.Submit(_sizing.Entry(context, OrderSide.Buy));
            }
        }
        else
        {
            if (position.IsLong && Sizing.Exit(context) is { } exit)
            {
                context.Submit(exit);
            }

            if (context.AllowShort && !position.IsShort)
            {
                context.Submit(_sizing.Entry(context, OrderSide.Sell));
            }
        }
    }
}
