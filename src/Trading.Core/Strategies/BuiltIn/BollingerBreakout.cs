using Trading.Core.Indicators;
using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Core.Strategies.BuiltIn;

/// <summary>
/// Bollinger Bands breakout on closes (<see cref="BollingerBands"/>: SMA ± k·population σ, the bands of candle t
/// include candle t's close, as TradingView's <c>ta.bb</c> does):
/// <list type="bullet">
/// <item>enter long when close_t &gt; upper_t while not long;</item>
/// <item>exit the long when close_t &lt; middle_t.</item>
/// </list>
/// When the run allows shorts the rules mirror: close_t &lt; lower_t opens a short, close_t &gt; middle_t covers it
/// (a close above the upper band then also goes long). Long-only otherwise.
/// No signal before the bands are ready (on candle period, so the declared warm-up is period − 1 candles), and none while one of its orders is still working.
/// </summary>
public sealed class BollingerBreakout : IStrategy
{
    private readonly BollingerBands _bands;
    private readonly Sizing _sizing;

    public BollingerBreakout(ParameterSet p)
    {
        _bands = new BollingerBands(p.GetInt("period"), p.Get("stddev"));
        _sizing = Sizing.From(p);
    }

    public static StrategyDescriptor Descriptor { get; } = new(
        "bollinger-breakout",
        "Long on a close above the upper Bollinger Band; exit on a close below the middle band (the SMA).",
        [
            ParameterSpec.Int("period", 20, 5, 200, 1, "Bollinger Bands period (candles)"),
            ParameterSpec.Real("stddev", 2.0, 0.5, 4.0, 0.25, "band width in population standard deviations"),
            Sizing.SizeParameter,
            Sizing.QuantityParameter,
        ],
        p => new BollingerBreakout(p),
        p => p.GetInt("period") - 1);

    public void OnCandle(IStrategyContext context, in Candle candle)
    {
        _bands.Update(candle.Close);
        if (!_bands.IsReady || !context.OpenOrders.IsEmpty)
        {
            return;
        }

        var close = candle.Close;
        var position = context.Position;
        if (position.IsLong)
        {
            if (close < _bands.Middle && Sizing.Exit(context) is { } exit)
            {
                context.Submit(exit);
                if (context.AllowShort && close < _bands.Lower)
                {
                    context.Submit(_sizing.Entry(context, OrderSide.Sell));
                }
            }

            return;
        }

        if (position.IsShort)
        {
            if (close > _bands.Middle && Sizing.Exit(context) is { } cover)
            {
                context.Submit(cover);
                if (close > _bands.Upper)
                {
                    context.Submit(_sizing.Entry(context, OrderSide.Buy));
                }
            }

            return;
        }

        if (close > _bands.Upper)
        {
            context.Submit(_sizing.Entry(context, OrderSide.Buy));
        }
        else if (context.AllowShort && close < _bands.Lower)
        {
            context.Submit(_sizing.Entry(context, OrderSide.Sell));
        }
    }
}
