using Trading.Backtest.Engine;
using Trading.Core.Orders;

namespace Trading.Backtest.Tests;

/// <summary>
/// One-cancels-other exits. A long of 10 bought at candle 1's open (100); on candle 1 the strategy places a sell stop
/// at 95 and a sell take-profit limit at 110. At most one of them fills; the other is canceled.
/// </summary>
public sealed class OcoTests
{
    private static BacktestOptions Options(bool shorts = false) => new() { Instrument = Bars.Test, AllowShort = shorts };

    private static ProbeStrategy LongThenOco(decimal stop = 95m, decimal target = 110m, decimal quantity = 10) => new()
    {
        Candle = (c, i) =>
        {
            if (i == 0)
            {
                c.Submit(OrderRequest.Market(OrderSide.Buy, 10));
            }
            else if (i == 1)
            {
                var ids = c.SubmitOco(OrderRequest.StopMarket(OrderSide.Sell, quantity, stop, "stop-loss"), OrderRequest.Limit(OrderSide.Sell, quantity, target, tag: "take-profit"));
                Assert.Equal((2L, 3L), (ids.StopLoss.Value, ids.TakeProfit.Value));
            }
        },
    };

    [Fact]
    public void One_candle_touching_both_prices_fills_the_stop_and_cancels_the_take_profit()
    {
        var s = LongThenOco();
        var bars = Bars.Hourly((100, 101, 99, 100), (100, 102, 98, 100), (100, 111, 94, 105), (105, 106, 104, 105));
        var r = BacktestEngine.Run(bars, s, Options(shorts: true));

        // Candle 2 spans 94..111: both the stop (95) and the target (110) are inside; the pessimistic rule fills the stop.
        Assert.Equal([100m, 95m], r.Fills.Select(f => f.Price));
        Assert.Equal(OrderSide.Sell, r.Fills[1].Side);
        var canceled = Assert.Single(s.Events, e => e.Kind == OrderEventKind.Canceled);
        Assert.Equal((3L, "oco: the stop-loss filled"), (canceled.Order.Id.Value, canceled.Reason));
        Assert.Empty(r.OpenOrders);
        Assert.Equal("stop-loss", Assert.Single(r.Trades).ExitReason);
        Assert.Equal(0, r.PositionQuantity[^1]); // flat: the second exit never opened a short
        Assert.Equal(10_000m - 50m - 0.1m * 10 - 0.095m * 10, r.FinalEquity); // −5 × 10, fees 1 + 0.95
    }

    [Fact]
    public void Reaching_only_the_take_profit_fills_it_and_cancels_the_stop()
    {
        var s = LongThenOco();
        var bars = Bars.Hourly((100, 101, 99, 100), (100, 102, 98, 100), (101, 112, 100, 111), (111, 112, 90, 92));
        var r = BacktestEngine.Run(bars, s, Options());

        Assert.Equal([100m, 110m], r.Fills.Select(f => f.Price));
        var canceled = Assert.Single(s.Events, e => e.Kind == OrderEventKind.Canceled);
        Assert.Equal((2L, "oco: the take-profit filled"), (canceled.Order.Id.Value, canceled.Reason));
        Assert.Equal("take-profit", Assert.Single(r.Trades).ExitReason);
    }

    [Fact]
    public void A_gap_through_the_stop_fills_at_the_open()
    {
        var s = LongThenOco();
        var bars = Bars.Hourly((100, 101, 99, 100), (100, 102, 98, 100), (90, 92, 88, 91));
        var r = BacktestEngine.Run(bars, s, Options());
        Assert.Equal([100m, 90m], r.Fills.Select(f => f.Price));
    }

    [Fact]
    public void Canceling_either_order_cancels_the_pair()
    {
        var s = new ProbeStrategy
        {
            Candle = (c, i) =>
            {
                if (i == 0)
                {
                    c.Submit(OrderRequest.Market(OrderSide.Buy, 10));
                }
                else if (i == 1)
                {
                    var ids = c.SubmitOco(OrderRequest.StopMarket(OrderSide.Sell, 10, 95m), OrderRequest.Limit(OrderSide.Sell, 10, 110m));
                    Assert.Equal(2, c.OpenOrders.Length);
                    Assert.Equal(ids.TakeProfit, c.OpenOrders[0].OcoPartner);
                    Assert.True(c.Cancel(ids.TakeProfit));
                    Assert.True(c.OpenOrders.IsEmpty);
                    Assert.False(c.Cancel(ids.StopLoss));
                }
            },
        };
        var r = BacktestEngine.Run(Bars.Hourly((100, 101, 99, 100), (100, 102, 98, 100), (100, 111, 94, 105)), s, Options());
        Assert.Single(r.Fills);
        Assert.Equal(["canceled by strategy", "oco: the other order was canceled"], s.Events.Where(e => e.Kind == OrderEventKind.Canceled).Select(e => e.Reason));
    }

    [Theory]
    [InlineData(112, 110, 10, "oco: a sell stop at 112 must be below the take-profit limit at 110")]
    [InlineData(95, 110, 20, "cannot sell 20: the position is 10 and shorting is off (--allow-short)")]
    public void A_malformed_pair_is_rejected_as_a_whole(double stop, double target, double quantity, string reason)
    {
        var s = LongThenOco((decimal)stop, (decimal)target, (decimal)quantity);
        var r = BacktestEngine.Run(Bars.Hourly((100, 101, 99, 100), (100, 102, 98, 100), (100, 111, 94, 105)), s, Options());
        Assert.Equal(2, r.RejectedOrders.Count);
        Assert.All(r.RejectedOrders, o => Assert.Equal(reason, o.Reason));
        Assert.Single(r.Fills);
    }

    [Fact]
    public void Legs_on_different_sides_are_rejected()
    {
        var s = new ProbeStrategy
        {
            Candle = (c, i) => c.SubmitOco(OrderRequest.StopMarket(OrderSide.Sell, 1, 95m), OrderRequest.Limit(OrderSide.Buy, 1, 90m)),
        };
        var r = BacktestEngine.Run(Bars.Hourly((100, 101, 99, 100)), s, Options(shorts: true));
        Assert.All(r.RejectedOrders, o => Assert.StartsWith("oco: both orders must be on the same side for the same quantity", o.Reason));
        Assert.Equal(2, r.RejectedOrders.Count);
    }
}
