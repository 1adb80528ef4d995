using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Live.Engine;

/// <summary>
/// The strategy as the engine calls it: an exception out of any callback is caught here (it must not unwind through
/// the loop, the order manager or a socket callback, which would leave orders working and connections open), reported
/// once to <paramref name="fault"/> with the callback's name, and the strategy is not called again — not even
/// OnStop: its state is whatever the exception left.
/// </summary>
internal sealed class StrategyGuard(IStrategy inner, Action<string, Exception> fault) : IStrategy
{
    public bool Faulted { get; private set; }

    public void OnStart(IStrategyContext context)
    {
        if (!Faulted)
        {
            try
            {
                inner.OnStart(context);
            }
            catch (Exception e)
            {
                Fail(nameof(OnStart), e);
            }
        }
    }

    public void OnCandle(IStrategyContext context, in Candle candle)
    {
        if (!Faulted)
        {
            try
            {
                inner.OnCandle(context, candle);
            }
            catch (Exception e)
            {
                Fail(nameof(OnCandle), e);
            }
        }
    }

    public void OnTrade(IStrategyContext context, in Trade trade)
    {
        if (!Faulted)
        {
            try
            {
                inner.OnTrade(context, trade);
            }
            catch (Exception e)
            {
                Fail(nameof(OnTrade), e);
            }
        }
    }

    public void OnQuote(IStrategyContext context, in Quote quote)
    {
        if (!Faulted)
        {
            try
            {
                inner.OnQuote(context, quote);
            }
            catch (Exception e)
            {
                Fail(nameof(OnQuote), e);
            }
        }
    }

    public void OnOrderEvent(IStrategyContext context, in OrderEvent orderEvent)
    {
        if (!Faulted)
        {
            try
            {
                inner.OnOrderEvent(context, orderEvent);
            }
            catch (Exception e)
            {
                Fail(nameof(OnOrderEvent), e);
            }
        }
    }

    public void OnTimer(IStrategyContext context, in TimerEvent timer)
    {
        if (!Faulted)
        {
            try
            {
                inner.OnTimer(context, timer);
            }
            catch (Exception e)
            {
                Fail(nameof(OnTimer), e);
            }
        }
    }

    public void OnStop(IStrategyContext context)
    {
        if (!Faulted)
        {
            try
            {
                inner.OnStop(context);
            }
            catch (Exception e)
            {
                Fail(nameof(OnStop), e);
            }
        }
    }

    private void Fail(string callback, Exception e)
    {
        Faulted = true;
        fault(callback, e);
    }
}
