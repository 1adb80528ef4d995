using Trading.Core.Accounting;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Optimizer.Backtesting;

/// <summary>
/// The context a strategy sees while it is warmed up on candles before its test period: a flat account holding the
/// initial cash, a clock at each candle's close, <see cref="IsWarmingUp"/> true, and order entry that silently drops
/// every order (no fill, no event) and timers that never fire. The strategy's indicators fill up; its account does
/// not move.
/// </summary>
internal sealed class WarmupContext(Instrument instrument, decimal cash, decimal feeRate, FeeAsset feeAsset, bool allowShort) : IStrategyContext
{
    private long _orders;

    public long Now { get; set; }

    public Instrument Instrument => instrument;

    public Position Position => default;

    public decimal Cash => cash;

    public decimal Equity => cash;

    public decimal FeeRate => feeRate;

    public FeeAsset FeeAsset => feeAsset;

    public bool AllowShort => allowShort;

    public bool IsWarmingUp => true;

    public ReadOnlySpan<OrderView> OpenOrders => [];

    public IStrategyLogger Log => NullStrategyLogger.Instance;

    public ClientOrderId Submit(in OrderRequest request) => new(++_orders);

    public OcoOrderIds SubmitOco(in OrderRequest stopLoss, in OrderRequest takeProfit) => new(new(++_orders), new(++_orders));

    public bool Cancel(ClientOrderId id) => false;

    public void SetTimer(string name, TimeSpan interval)
    {
    }

    public void SetAlarm(string name, long atMs)
    {
    }

    public bool CancelTimer(string name) => false;
}
