using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Live.Tests.Support;

/// <summary>Rests one limit buy of 0.1 at 50 (far below the market: it never fills) on the first live candle; with
/// <paramref name="cancelOnAccept"/>, cancels it as soon as it is accepted.</summary>
internal sealed class RestingLimitBuy(bool cancelOnAccept) : IStrategy
{
    private bool _sent;

    public void OnStart(IStrategyContext context)
    {
    }

    public void OnCandle(IStrategyContext context, in Candle candle)
    {
        if (context.IsWarmingUp || _sent)
        {
            return;
        }

        _sent = true;
        context.Submit(OrderRequest.Limit(OrderSide.Buy, 0.1m, 50m));
    }

    public void OnOrderEvent(IStrategyContext context, in OrderEvent e)
    {
        if (cancelOnAccept && e.Kind == OrderEventKind.Accepted)
        {
            context.Cancel(e.Order.Id);
        }
    }

    public void OnStop(IStrategyContext context)
    {
    }
}
