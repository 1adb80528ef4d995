using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Core.Strategies;

/// <summary>
/// A trading strategy: one instance per run, every call on one thread (the backtest thread, one optimizer worker,
/// or the live event-loop thread), so a strategy needs no locks. Events arrive in time order: <see cref="OnStart"/>,
/// then market events and own-order events, then <see cref="OnStop"/>. The strategy never learns which mode it runs
/// in: everything it may do goes through the <see cref="IStrategyContext"/>.
/// </summary>
public interface IStrategy
{
    /// <summary>Before the first event. The context's clock reads the first event's time.</summary>
    void OnStart(IStrategyContext context)
    {
    }

    /// <summary>
    /// A candle has closed. Called only for closed candles, so a strategy can never see a bar's future;
    /// a market order submitted here fills no earlier than the next candle's open (unless the run trades on close).
    /// </summary>
    void OnCandle(IStrategyContext context, in Candle candle);

    /// <summary>A public trade (live, and tick backtests).</summary>
    void OnTrade(IStrategyContext context, in Trade trade)
    {
    }

    /// <summary>A best bid/ask change (live, and tick backtests).</summary>
    void OnQuote(IStrategyContext context, in Quote quote)
    {
    }

    /// <summary>One of this strategy's own orders was accepted, rejected (with a reason), filled, canceled or expired.</summary>
    void OnOrderEvent(IStrategyContext context, in OrderEvent orderEvent)
    {
    }

    /// <summary>
    /// A timer or alarm set through <see cref="IStrategyContext.SetTimer"/> or <see cref="IStrategyContext.SetAlarm"/>
    /// came due (time-based exits, order time-outs, stale-feed checks). In a backtest it fires on the replay clock
    /// (Now = its due time) just before the first market event stamped later than that; see
    /// <see cref="IStrategyContext.SetTimer"/> for the rule and what a candle backtest can see between candles.
    /// </summary>
    void OnTimer(IStrategyContext context, in TimerEvent timer)
    {
    }

    /// <summary>After the last event. Orders submitted here are not executed.</summary>
    void OnStop(IStrategyContext context)
    {
    }
}
