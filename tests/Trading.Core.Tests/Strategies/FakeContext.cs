using Trading.Core.Accounting;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Core.Tests.Strategies;

/// <summary>
/// A tiny stand-in for the engine: records every submitted order with the candle it came on, and fills market orders
/// at once at that candle's close (quote-sized ones for quote/close, rounded down to the lot), so that the next
/// candle sees the new position. Enough to check a strategy's signals, nothing more.
/// </summary>
internal sealed class FakeContext : IStrategyContext
{
    private readonly List<OrderView> _open = [];
    private int _ids;
    private double _lastClose;

    public List<(int Candle, OrderRequest Request)> Submitted { get; } = [];

    public int CandleIndex { get; private set; } = -1;

    public long Now { get; private set; }

    public Instrument Instrument => Instrument.BtcUsdt;

    public Position Position { get; set; }

    public decimal Cash { get; set; } = 10_000m;

    public decimal Equity => Cash + (Position.Quantity * (decimal)_lastClose);

    public decimal FeeRate => 0.001m;

    public FeeAsset FeeAsset => FeeAsset.Quote;

    public bool AllowShort { get; init; }

    public bool IsWarmingUp => false;

    /// <summary>When true, submitted orders stay working (never fill): models a live entry not yet filled.</summary>
    public bool HoldOrders { get; init; }

    public ReadOnlySpan<OrderView> OpenOrders => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_open);

    public IStrategyLogger Log => NullStrategyLogger.Instance;

    public ClientOrderId Submit(in OrderRequest request)
    {
        var id = new ClientOrderId(++_ids);
        Submitted.Add((CandleIndex, request));
        if (HoldOrders)
        {
            _open.Add(new Order(id, Instrument.Symbol, request, Now).View());
            return id;
        }

        var price = (decimal)_lastClose;
        var qty = request.Quantity > 0 ? request.Quantity : Instrument.RoundQuantityDown(request.QuoteQuantity / price);
        var signed = request.Side == OrderSide.Buy ? qty : -qty;
        Cash -= signed * price;
        var after = Position.Quantity + signed;
        Position = new Position(after, after == 0 ? 0 : price);
        return id;
    }

    public bool Cancel(ClientOrderId id) => false;

    public OcoOrderIds SubmitOco(in OrderRequest stopLoss, in OrderRequest takeProfit) =>
        throw new NotSupportedException("the built-in strategies place no OCO orders");

    public void SetTimer(string name, TimeSpan interval) => throw new NotSupportedException("the built-in strategies set no timers");

    public void SetAlarm(string name, long atMs) => throw new NotSupportedException("the built-in strategies set no timers");

    public bool CancelTimer(string name) => false;

    /// <summary>Feeds every close (as a candle with open = high = low = close) to the strategy.</summary>
    public void Run(IStrategy strategy, params double[] closes)
    {
        foreach (var close in closes)
        {
            Feed(strategy, close);
        }
    }

    public void Feed(IStrategy strategy, double close)
    {
        CandleIndex++;
        Now = (CandleIndex + 1) * 3_600_000L;
        _lastClose = close;
        var candle = new Candle(CandleIndex * 3_600_000L, close, close, close, close, 1);
        strategy.OnCandle(this, candle);
    }

    /// <summary>The submitted orders as "candle:side" (plus ":qty" for fixed quantities), for compact assertions.</summary>
    public string[] Signals() =>
        Submitted.Select(s => $"{s.Candle}:{s.Request.Side}" + (s.Request.Quantity > 0 && s.Request.Tag == "entry" ? $":{s.Request.Quantity}" : "")).ToArray();
}
