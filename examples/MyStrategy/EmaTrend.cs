using Trading.Core.Indicators;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace MyStrategy;

/// <summary>
/// An example strategy in its own assembly: trend following with two EMAs, an RSI filter and a protective stop.
/// <list type="bullet">
/// <item>enter long when the fast EMA of closes crosses above the slow one, unless the RSI is above <c>max-rsi</c>
/// (do not chase an overbought market);</item>
/// <item>exit when the fast EMA crosses back below the slow one;</item>
/// <item>after the entry fills, place a stop-market sell <c>stop-pct</c> below the fill price (0 = no stop), and
/// cancel it when the signal exits first.</item>
/// </list>
/// Long-only. Entries are sized by the standard <c>size</c> / <c>qty</c> parameters (<see cref="Sizing"/>).
/// </summary>
public sealed class EmaTrend : IStrategy
{
    private readonly Ema _fast;
    private readonly Ema _slow;
    private readonly Rsi _rsi;
    private readonly double _maxRsi;
    private readonly decimal _stopPct;
    private readonly Sizing _sizing;
    private double _prevFast;
    private double _prevSlow;
    private bool _hasPrev;
    private ClientOrderId? _stop;

    public EmaTrend(ParameterSet p)
    {
        _fast = new Ema(p.GetInt("fast"));
        _slow = new Ema(p.GetInt("slow"));
        _rsi = new Rsi(p.GetInt("rsi-period"));
        _maxRsi = p.Get("max-rsi");
        _stopPct = p.GetDecimal("stop-pct");
        _sizing = Sizing.From(p);
    }

    /// <summary>
    /// Found by <c>--strategy-assembly</c>: a public static property of this type. Its name is what
    /// <c>--strategy</c> takes; the parameters are what <c>--param</c> sets, <c>quant strategies</c> lists and
    /// <c>quant optimize</c> sweeps (from min to max by step).
    /// </summary>
    public static StrategyDescriptor Descriptor { get; } = new(
        "ema-trend",
        "Long on a fast/slow EMA cross up unless RSI is overbought; exit on the cross down or a stop below the entry.",
        [
            ParameterSpec.Int("fast", 12, 2, 100, 2, "fast EMA period (candles)"),
            ParameterSpec.Int("slow", 26, 5, 300, 4, "slow EMA period (candles)"),
            ParameterSpec.Int("rsi-period", 14, 2, 50, 1, "RSI period (candles)"),
            ParameterSpec.Real("max-rsi", 70, 50, 100, 5, "no entry while RSI is above this"),
            ParameterSpec.Real("stop-pct", 0.05, 0, 0.5, 0.01, "stop distance below the entry fill, as a fraction (0 = no stop)"),
            Sizing.SizeParameter,
            Sizing.QuantityParameter,
        ],
        p => new EmaTrend(p));

    public void OnCandle(IStrategyContext context, in Candle candle)
    {
        _fast.Update(candle.Close);
        _slow.Update(candle.Close);
        _rsi.Update(candle.Close);

        // Warm-up: no signal until every indicator is ready (the slow EMA after `slow` candles, the RSI after
        // `rsi-period` + 1), and a cross needs the previous candle's values too.
        if (!_slow.IsReady || !_fast.IsReady || !_rsi.IsReady)
        {
            return;
        }

        double fast = _fast.Value, slow = _slow.Value;
        if (_hasPrev)
        {
            var position = context.Position;
            if (_prevFast <= _prevSlow && fast > slow && position.IsFlat && context.OpenOrders.IsEmpty && _rsi.Value <= _maxRsi)
            {
                context.Submit(_sizing.Entry(context, OrderSide.Buy));
            }
            else if (_prevFast >= _prevSlow && fast < slow && position.IsLong)
            {
                if (_stop is { } stop)
                {
                    context.Cancel(stop);
                    _stop = null;
                }

                if (Sizing.Exit(context) is { } exit)
                {
                    context.Submit(exit);
                }
            }
        }

        _prevFast = fast;
        _prevSlow = slow;
        _hasPrev = true;
    }

    public void OnOrderEvent(IStrategyContext context, in OrderEvent e)
    {
        if (e.Kind == OrderEventKind.Filled && e.Order.Tag == "entry" && !e.Order.IsOpen && _stopPct > 0)
        {
            // The entry is complete: protect the whole position. Prices that reach a venue are rounded to its tick.
            var stopPrice = context.Instrument.RoundPriceDown(e.Order.AveragePrice * (1 - _stopPct));
            _stop = context.Submit(OrderRequest.StopMarket(OrderSide.Sell, context.Position.Quantity, stopPrice, "stop"));
        }
        else if (e.Order.Tag == "stop" && e.Kind is OrderEventKind.Filled or OrderEventKind.Rejected or OrderEventKind.Canceled or OrderEventKind.Expired)
        {
            _stop = null;
        }
    }
}
