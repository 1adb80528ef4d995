using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Live.Engine;

/// <summary>
/// What <c>--out</c> needs besides the fills: the equity at every live candle close (the backtest's equity.csv has one
/// row per candle), the last close (buy &amp; hold), and the orders refused or left working.
/// <para>A candle's point is valued at its close but taken just before the next market event (or when the run ends):
/// an order the strategy places on the close travels to the venue and back before the market moves on in lockstep, so
/// its fill is in the point, as a trade-on-close backtest books it. In real time a fill slower than the next trade
/// print lands in the next point.</para>
/// </summary>
public sealed partial class LiveEngine
{
    private readonly List<LiveCurvePoint> _curve = [];
    private double _lastClose;
    private long _pointTime;
    private decimal _pointClose;
    private double _pointOpen;

    private void RecordCurve(in Candle candle)
    {
        FlushCurve();
        _lastClose = candle.Close;
        _pointTime = candle.OpenTime + _settings.IntervalMs;
        _pointClose = Trading.Core.Execution.FillModel.ToDecimal(candle.Close);
        _pointOpen = candle.Open;
    }

    /// <summary>Takes the last closed candle's point, if not taken yet: the account now, valued at that close.</summary>
    private void FlushCurve()
    {
        if (_pointTime == 0)
        {
            return;
        }

        var q = _account.Position.Quantity;
        _curve.Add(new LiveCurvePoint(_pointTime, _account.Cash + (q * _pointClose), _account.Cash, q, _pointOpen));
        _pointTime = 0;
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
        FlushCurve();
        var open = new List<OrderView>();
        foreach (var o in _orders.OpenOrders)
        {
            open.Add(o.View());
        }

        return r with
        {
            Curve = _curve,
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
