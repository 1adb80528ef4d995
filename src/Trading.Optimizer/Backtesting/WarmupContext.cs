using Trading.Core.Accounting;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Optimizer.Backtesting;

/// <summary>
/// The context a strategy sees while it is warmed up on candles before its test period: a flat account holding the
/// initial cash, a clock at each candle's close, and order entry that accepts and silently drops every order (no
/// fill, no event). The strategy's indicators fill up; its account does not move.
/// </summary>
internal sealed class WarmupContext(Instrument instrument, decimal cash, decimal feeRate, bool allowShort) : IStrategyContext
{
    private long _orders;

    public long Now { get; set; }

    public Instrument Instrument => instrument;

    public Position Position => default;

    public decimal Cash => cash;

    public decimal Equity => cash;

    public decimal FeeRate => feeRate;

    public bool AllowShort => allowShort;

    public ReadOnlySpan<Order> OpenOrders => [];

    public IStrategyLogger Log => NullStrategyLogger.Instance;

    public ClientOrderId Submit(in OrderRequest request) => new($"warmup-{++_orders}");

    public bool Cancel(ClientOrderId id) => false;
}
