using Trading.Core.Accounting;
using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Core.Strategies;

/// <summary>
/// What a strategy sees of the world: clock, instrument, its account, and order entry. The backtest engine, each
/// optimizer worker and the live engine implement it; a strategy never sees a venue. Only valid on the thread that
/// calls the strategy, and only during a callback.
/// </summary>
public interface IStrategyContext
{
    /// <summary>Milliseconds since the Unix epoch, UTC: the replay clock in a backtest, the wall clock live.
    /// During <see cref="IStrategy.OnCandle"/> it reads the candle's close time.</summary>
    long Now { get; }

    Instrument Instrument { get; }

    /// <summary>The net position in <see cref="Instrument"/>.</summary>
    Position Position { get; }

    /// <summary>Free quote-asset cash (a short sale's proceeds included).</summary>
    decimal Cash { get; }

    /// <summary>Cash + position valued at the last price seen.</summary>
    decimal Equity { get; }

    /// <summary>Commission charged per fill as a fraction of notional (taker rate), so that sizing can leave room for it.</summary>
    decimal FeeRate { get; }

    /// <summary>Whether a sell may open or extend a short position.</summary>
    bool AllowShort { get; }

    /// <summary>
    /// Submits an order. Never throws for a business rejection (unaffordable, below the filters, too many orders):
    /// the rejection arrives as an <see cref="OrderEventKind.Rejected"/> event with a reason, possibly before this returns.
    /// </summary>
    ClientOrderId Submit(in OrderRequest request);

    /// <summary>Requests a cancel; false when the order is unknown or no longer open. The outcome arrives as an event.</summary>
    bool Cancel(ClientOrderId id);

    /// <summary>Orders still working (New or PartiallyFilled), oldest first. Valid until the next submit or event.</summary>
    ReadOnlySpan<Order> OpenOrders { get; }

    IStrategyLogger Log { get; }
}
