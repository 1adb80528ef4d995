using Trading.Core.Indicators;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace MyStrategy;

/// <summary>
/// An example strategy in its own assembly: trend following with two EMAs, an RSI filter, a one-cancels-other exit
/// and a time limit.
/// <list type="bullet">
/// <item>enter long when the fast EMA of closes crosses above the slow one, unless the RSI is above <c>max-rsi</c>
/// (do not chase an overbought market);</item>
/// <item>once the entry has filled, protect it with an OCO pair: a stop-market sell <c>stop-pct</c> below the fill
/// price and a take-profit limit sell <c>take-pct</c> above it (either 0: that leg alone, both 0: none); whichever
/// fills first cancels the other;</item>
/// <item>and set an alarm <c>max-hold</c> hours after the fill (0 = none): a position still open then is closed
/// at market (exit reason "max-hold");</item>
/// <item>exit when the fast EMA crosses back below the slow one, canceling the exits first.</item>
/// </list>
/// Long-only. Entries are sized by the standard <c>size</c> / <c>qty</c> parameters (<see cref="Sizing"/>); exits
/// sell what the position holds, which is less than was bought when the venue takes its fee in the asset
/// (<see cref="FeeAsset.Received"/>).
/// </summary>
public sealed class EmaTrend : IStrategy
{
    private const string MaxHoldAlarm = "max-hold";

    private readonly Ema _fast;
    private readonly Ema _slow;
    private readonly Rsi _rsi;
    private readonly double _maxRsi;
    private readonly decimal _stopPct;
    private readonly decimal _takePct;
    private readonly TimeSpan _maxHold;
    private readonly Sizing _sizing;
    private double _prevFast;
    private double _prevSlow;
    private bool _hasPrev;
    private ClientOrderId _stop;
    private ClientOrderId _take;

    public EmaTrend(ParameterSet p)
    {
        _fast = new Ema(p.GetInt("fast"));
        _slow = new Ema(p.GetInt("slow"));
        _rsi = new Rsi(p.GetInt("rsi-period"));
        _maxRsi = p.Get("max-rsi");
        _stopPct = p.GetDecimal("stop-pct");
        _takePct = p.GetDecimal("take-pct");
        _maxHold = TimeSpan.FromHours(p.GetInt("max-hold"));
        _sizing = Sizing.From(p);
    }

    /// <summary>
    /// Found by <c>--strategy-assembly</c>: a public static property of this type. Its name is what
    /// <c>--strategy</c> takes; the parameters are what <c>--param</c> sets, <c>quant strategies</c> lists and
    /// <c>quant optimize</c> sweeps (from min to max by step). The warm-up is what the indicators need before the
    /// first cross can be seen: each EMA is ready after its period, the RSI after its period + 1 closes, and a cross
    /// compares with the candle before.
    /// </summary>
    public static StrategyDescriptor Descriptor { get; } = new(
        "ema-trend",
        "Long on a fast/slow EMA cross up unless RSI is overbought; exit on the cross down, a stop/take-profit OCO or a time limit.",
        [
            ParameterSpec.Int("fast", 12, 2, 100, 2, "fast EMA period (candles)"),
            ParameterSpec.Int("slow", 26, 5, 300, 4, "slow EMA period (candles)"),
            ParameterSpec.Int("rsi-period", 14, 2, 50, 1, "RSI period (candles)"),
            ParameterSpec.Real("max-rsi", 70, 50, 100, 5, "no entry while RSI is above this"),
            ParameterSpec.Real("stop-pct", 0.05, 0, 0.5, 0.01, "stop distance below the entry fill, as a fraction (0 = no stop)"),
            ParameterSpec.Real("take-pct", 0.1, 0, 1, 0.01, "take-profit distance above the entry fill, as a fraction (0 = none)"),
            ParameterSpec.Int("max-hold", 120, 0, 2000, 24, "close a position still open this many hours after its entry (0 = no limit)"),
            Sizing.SizeParameter,
            Sizing.QuantityParameter,
        ],
        p => new EmaTrend(p),
        p => Math.Max(Math.Max(p.GetInt("fast"), p.GetInt("slow")), p.GetInt("rsi-period") + 1));

    public void OnCandle(IStrategyContext context, in Candle candle)
    {
        _fast.Update(candle.Close);
        _slow.Update(candle.Close);
        _rsi.Update(candle.Close);

        // Feed the indicators on every candle, warm-up included (orders are refused while IsWarmingUp).
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
                Exit(context, "signal");
            }
        }

        _prevFast = fast;
        _prevSlow = slow;
        _hasPrev = true;
    }

    public void OnOrderEvent(IStrategyContext context, in OrderEvent e)
    {
        if (e.Kind != OrderEventKind.Filled || e.Order.IsOpen)
        {
            return;
        }

        if (e.Order.Tag == "entry")
        {
            PlaceExits(context, e.Order.AveragePrice);
            if (_maxHold > TimeSpan.Zero)
            {
                context.SetAlarm(MaxHoldAlarm, e.Fill.Time + (long)_maxHold.TotalMilliseconds);
            }
        }
        else if (context.Position.IsFlat)
        {
            // Out, by whichever exit: the OCO has canceled its other leg; the time limit is moot.
            context.CancelTimer(MaxHoldAlarm);
            _stop = _take = ClientOrderId.None;
        }
    }

    public void OnTimer(IStrategyContext context, in TimerEvent timer)
    {
        if (timer.Name == MaxHoldAlarm && context.Position.IsLong)
        {
            Exit(context, "max-hold");
        }
    }

    /// <summary>The protective exits for the whole position (what is held, not what was bought), on the tick grid.</summary>
    private void PlaceExits(IStrategyContext context, decimal entry)
    {
        var quantity = context.Position.Quantity;
        var stop = OrderRequest.StopMarket(OrderSide.Sell, quantity, context.Instrument.RoundPriceDown(entry * (1 - _stopPct)), "stop");
        var take = OrderRequest.Limit(OrderSide.Sell, quantity, context.Instrument.RoundPriceUp(entry * (1 + _takePct)), tag: "take-profit");
        if (_stopPct > 0 && _takePct > 0)
        {
            (_stop, _take) = context.SubmitOco(stop, take);
        }
        else if (_stopPct > 0)
        {
            _stop = context.Submit(stop);
        }
        else if (_takePct > 0)
        {
            _take = context.Submit(take);
        }
    }

    private void Exit(IStrategyContext context, string reason)
    {
        // Canceling one order of an OCO pair cancels both; a leg that is not open any more is simply not found.
        context.Cancel(_stop);
        context.Cancel(_take);
        _stop = _take = ClientOrderId.None;
        context.CancelTimer(MaxHoldAlarm);
        if (Sizing.Exit(context, reason) is { } exit)
        {
            context.Submit(exit);
        }
    }
}
