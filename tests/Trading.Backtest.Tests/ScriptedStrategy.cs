using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Tests;

/// <summary>Submits the given orders on the given candle indexes and records every event it is told about.</summary>
internal sealed class ScriptedStrategy(params (int Candle, OrderRequest Request)[] script) : IStrategy
{
    private int _index = -1;

    public List<OrderEvent> Events { get; } = [];

    public List<string> Rejections { get; } = [];

    public void OnCandle(IStrategyContext context, in Candle candle)
    {
        _index++;
        foreach (var (at, request) in script)
        {
            if (at == _index)
            {
                context.Submit(request);
            }
        }
    }

    public void OnOrderEvent(IStrategyContext context, in OrderEvent orderEvent)
    {
        Events.Add(orderEvent);
        if (orderEvent.Kind == OrderEventKind.Rejected)
        {
            Rejections.Add(orderEvent.Reason!);
        }
    }
}
