using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Live.Engine;

/// <summary>
/// What <c>--out</c> needs besides the fills: the equity at every live candle close (the backtest's equity.csv has one
/// row per candle), the first open and last close (buy &amp; hold), and the orders refused or left working.
/// <para>A point is taken when the kline closes, before the strategy sees the candle: an order it places on that candle
/// fills after the close (the order travels to the venue and back), so its fill shows in the next point — where a
/// trade-on-close backtest books it in this one.</para>
/// </summary>
public sealed partial class LiveEngine
{
    private readonly List<LiveCurvePoint> _curve = [];
    private double _firstOpen;
    private double _lastClose;

    private void RecordCurve(in Candle candle)
    {
        if (_curve.Count == 0)
        {
            _firstOpen = candle.Open;
        }

        _lastClose = candle.Close;
        var close = Trading.Core.Execution.FillModel.ToDecimal(candle.Close);
        _curve.Add(new LiveCurvePoint(candle.OpenTime + _settings.IntervalMs, _account.Cash + (_account.Position.Quantity * close), _account.Cash, _account.Position.Quantity));
    }

    /// <summary>Views of the orders the run rejected (any reason), in order of creation.</summary>
    private List<OrderView> RejectedViews()
    {
        var list = new List<OrderView>();
        foreach (var o in _orders.All.OrderBy(o => o.Sequence))
        {
            if (o.State == Trading.Live.Orders.LiveOrderState.Rejected)
            {
                list.Add(o.Order.View());
            }
        }

        return list;
    }

    /// <summary>The result's recorded members (set on the result once the run is done).</summary>
    private LiveRunResult WithRecord(LiveRunResult r)
    {
        var open = new List<OrderView>();
        foreach (var o in _orders.OpenOrders)
        {
            open.Add(o.View());
        }

        return r with
        {
            Curve = _curve,
            FirstOpen = _firstOpen,
            LastClose = _lastClose,
            LastPrice = _lastPrice,
            WarmUpCandles = _history.Count,
            IntervalMs = _settings.IntervalMs,
            LotStep = Instrument.LotStep,
            RejectedOrders = RejectedViews(),
            OpenOrders = open,
        };
    }
}
