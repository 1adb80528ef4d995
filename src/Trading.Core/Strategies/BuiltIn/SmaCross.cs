using Trading.Core.Indicators;
using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Core.Strategies.BuiltIn;

/// <summary>
/// Moving-average crossover on closes. Enters long when the fast SMA crosses above the slow one
/// (fast_{t-1} ≤ slow_{t-1} and fast_t &gt; slow_t) and exits when it crosses below. When the run allows shorts,
/// a cross below also opens a short and a cross above covers it. Signals need both averages ready on both candles,
/// so the declared warm-up is max(fast, slow) candles.
/// </summary>
public sealed class SmaCross : IStrategy
{
    private readonly Sma _fast;
    private readonly Sma _slow;
    private readonly Sizing _sizing;
    private double _prevFast;
    private double _prevSlow;
    private bool _hasPrev;

    public SmaCross(ParameterSet p)
    {
        _fast = new Sma(p.GetInt("fast"));
        _slow = new Sma(p.GetInt("slow"));
        _sizing = Sizing.From(p);
    }

    public static StrategyDescriptor Descriptor { get; } = new(
        "sma-cross",
        "Long when the fast SMA of closes crosses above the slow SMA; exit when it crosses below.",
        [
            ParameterSpec.Int("fast", 10, 2, 200, 1, "fast SMA period (candles)"),
            ParameterSpec.Int("slow", 30, 3, 500, 1, "slow SMA period (candles)"),
            Sizing.SizeParameter,
            Sizing.QuantityParameter,
        ],
        p => new SmaCross(p),
        p => Math.Max(p.GetInt("fast"), p.GetInt("slow")));

    public void OnCandle(IStrategyContext context, in Candle candle)
    {
        _fast.Update(candle.Close);
        _slow.Update(candle.Close);
        if (!_slow.IsReady || !_fast.IsReady)
        {
            return;
        }

        double fast = _fast.Value, slow = _slow.Value;
        if (_hasPrev)
        {
            if (_prevFast <= _prevSlow && fast > slow)
            {
                OnCrossUp(context);
            }
            else if (_prevFast >= _prevSlow && fast < slow)
            {
                OnCrossDown(context);
            }
        }

        _prevFast = fast;
        _prevSlow = slow;
        _hasPrev = true;
    }

    // Rare (a cross), and order entry is large: kept out of OnCandle so the per-candle path a replay loop inlines stays small.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void OnCrossUp(IStrategyContext context)
    {
        var position = context.Position;
        if (position.IsShort && Sizing.Exit(context) is { } cover)
        {
            context.Submit(cover);
        }

        if (!position.IsLong)
        {
            context.Submit(_sizing.Entry(context, OrderSide.Buy));
        }
    }

    // Rare (a cross), and order entry is large: kept out of OnCandle so the per-candle path a replay loop inlines stays small.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void OnCrossDown(IStrategyContext context)
    {
        var position = context.Position;
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
