using System.Globalization;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Tests;

/// <summary>
/// A strategy driven by the test: each callback runs the given action, and every callback is logged as one line
/// (<c>start@t</c>, <c>candle i@t</c>, <c>timer name@t</c>, <c>Kind id@t</c>, with t in minutes since
/// <see cref="Bars.Start"/>), so a test can assert the exact order in which the replay delivered them.
/// </summary>
internal sealed class ProbeStrategy : IStrategy
{
    private int _index = -1;

    public Action<IStrategyContext>? Start { get; init; }

    public Action<IStrategyContext, int>? Candle { get; init; }

    public Action<IStrategyContext, TimerEvent>? Timer { get; init; }

    public Action<IStrategyContext, OrderEvent>? Order { get; init; }

    public List<string> Log { get; } = [];

    public List<OrderEvent> Events { get; } = [];

    public List<bool> WarmingUp { get; } = [];

    public static string Minutes(long t) => ((t - Bars.Start) / 60_000).ToString(CultureInfo.InvariantCulture);

    public void OnStart(IStrategyContext context)
    {
        Log.Add($"start@{Minutes(context.Now)}");
        Start?.Invoke(context);
    }

    public void OnCandle(IStrategyContext context, in Candle candle)
    {
        _index++;
        WarmingUp.Add(context.IsWarmingUp);
        Log.Add($"candle {_index}@{Minutes(context.Now)}");
        Candle?.Invoke(context, _index);
    }

    public void OnTimer(IStrategyContext context, in TimerEvent timer)
    {
        Log.Add($"timer {timer.Name}@{Minutes(context.Now)}");
        Timer?.Invoke(context, timer);
    }

    public void OnOrderEvent(IStrategyContext context, in OrderEvent orderEvent)
    {
        Events.Add(orderEvent);
        Log.Add($"{orderEvent.Kind} {orderEvent.Order.Id}@{Minutes(context.Now)}");
        Order?.Invoke(context, orderEvent);
    }
}
