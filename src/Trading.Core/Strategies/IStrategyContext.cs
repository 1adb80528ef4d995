using Trading.Core.Accounting;
using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Core.Strategies;

/// <summary>
/// What a strategy sees of the world: clock, instrument, its account, order entry and timers. The backtest engine,
/// each optimizer worker and the live engine implement it; a strategy never sees a venue. Only valid on the thread
/// that calls the strategy, and only during a callback.
/// </summary>
public interface IStrategyContext
{
    /// <summary>Milliseconds since the Unix epoch, UTC: the replay clock in a backtest, the wall clock live.
    /// During <see cref="IStrategy.OnCandle"/> it reads the candle's close time; during
    /// <see cref="IStrategy.OnTimer"/> in a backtest, the timer's due time.</summary>
    long Now { get; }

    Instrument Instrument { get; }

    /// <summary>
    /// The net position in <see cref="Instrument"/>, rounded toward zero to the lot step: under
    /// <see cref="FeeAsset.Received"/> a buy's base-asset fee leaves dust below one lot that no order can sell; it stays
    /// in the account (and in <see cref="Equity"/>) but not here, so a position is flat when nothing tradable is held.
    /// </summary>
    Position Position { get; }

    /// <summary>Free quote-asset cash (a short sale's proceeds included).</summary>
    decimal Cash { get; }

    /// <summary>Cash + everything held valued at the last price seen.</summary>
    decimal Equity { get; }

    /// <summary>Commission charged per fill as a fraction (taker rate), so that sizing can leave room for it.</summary>
    decimal FeeRate { get; }

    /// <summary>
    /// Which asset commissions are charged in (see <see cref="Commission"/> for amount and rounding). Under
    /// <see cref="FeeAsset.Received"/> buying q leaves q − fee in <see cref="Position"/>, so an exit should sell what
    /// the position holds, not what was bought.
    /// </summary>
    FeeAsset FeeAsset { get; }

    /// <summary>Whether a sell may open or extend a short position.</summary>
    bool AllowShort { get; }

    /// <summary>
    /// True while the strategy is fed its declared warm-up history (<see cref="StrategyDescriptor.WarmUp"/>): candles
    /// before the first tradable one, shown so its indicators are ready. Every order submitted meanwhile is rejected
    /// ("warming up"), and those candles count in no statistic unless the run asks for it.
    /// </summary>
    bool IsWarmingUp { get; }

    /// <summary>
    /// Submits an order. Never throws for a business rejection (unaffordable, below the filters, warming up, too many
    /// orders): the rejection arrives as an <see cref="OrderEventKind.Rejected"/> event with a reason, possibly before
    /// this returns.
    /// </summary>
    ClientOrderId Submit(in OrderRequest request);

    /// <summary>
    /// Submits a one-cancels-other exit: <paramref name="stopLoss"/> (a stop-market order) and
    /// <paramref name="takeProfit"/> (a limit order), on the same side for the same quantity. At most one of them ever
    /// fills; when it does (or when either is canceled, by the strategy or the venue), the other is canceled. When one
    /// candle of a backtest touches both prices the stop fills (the pessimistic rule: a candle does not say which
    /// came first). A pair that breaks these rules is rejected as a whole: both orders get a rejection event.
    /// Ids are numbered stop first, then take-profit.
    /// </summary>
    OcoOrderIds SubmitOco(in OrderRequest stopLoss, in OrderRequest takeProfit);

    /// <summary>
    /// Requests a cancel; false when the order is unknown or no longer open. The outcome arrives as an event.
    /// Canceling one order of an OCO pair cancels both.
    /// </summary>
    bool Cancel(ClientOrderId id);

    /// <summary>
    /// Orders still working (New or PartiallyFilled), oldest first, as copies. A view of the engine's own array:
    /// reading it allocates nothing; it is valid until the strategy next submits or cancels, or the callback returns.
    /// </summary>
    ReadOnlySpan<OrderView> OpenOrders { get; }

    /// <summary>
    /// Starts (or restarts, replacing one of the same name) a repeating timer: <see cref="IStrategy.OnTimer"/> fires
    /// at Now + <paramref name="interval"/>, then every interval, until <see cref="CancelTimer"/>. The interval must be
    /// at least one millisecond. On the replay clock of a backtest a timer due at t fires, with Now = t, just before the
    /// first market event stamped later than t: the fills at a candle's open (stamped with its open time) and the
    /// candle's close (<see cref="IStrategy.OnCandle"/>, stamped with its close time). A backtest of candles knows
    /// prices only at those boundaries, so an order submitted from a timer fills at the next candle's open at the
    /// earliest, and a timer between two candles sees the last close as the latest price. Live, timers fire on the
    /// wall clock, at or just after t.
    /// </summary>
    void SetTimer(string name, TimeSpan interval);

    /// <summary>
    /// Sets (or replaces) a one-shot alarm: <see cref="IStrategy.OnTimer"/> fires once at <paramref name="atMs"/>
    /// (ms since the epoch, UTC; a time already past fires before the next market event), then the name is free.
    /// Same clock rule as <see cref="SetTimer"/>.
    /// </summary>
    void SetAlarm(string name, long atMs);

    /// <summary>Stops the timer or alarm of that name; false when none is set.</summary>
    bool CancelTimer(string name);

    IStrategyLogger Log { get; }
}
