using Trading.Backtest.Engine;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Tests;

/// <summary>
/// Order slots are recycled as soon as no callback can hold one — at the end of a candle's fills, before its close —
/// so the order filled at a candle's open gives its slot to the order submitted at that candle's close. Every order
/// must still be itself: its id, side and events.
/// </summary>
public sealed class SlotReuseTests
{
    /// <summary>Buys and sells one unit alternately at every close, and also on each fill event (from inside the callback chain).</summary>
    private sealed class EveryCandle : IStrategy
    {
        private bool _buy = true;

        public List<(ClientOrderId Id, OrderSide Side)> Submitted { get; } = [];

        public List<OrderEvent> Events { get; } = [];

        public void OnCandle(IStrategyContext context, in Candle candle) => Submit(context);

        public void OnOrderEvent(IStrategyContext context, in OrderEvent orderEvent)
        {
            Events.Add(orderEvent);
            if (orderEvent.Kind == OrderEventKind.Filled && orderEvent.Order.Id.Value % 3 == 0)
            {
                Submit(context);
            }
        }

        private void Submit(IStrategyContext context)
        {
            var side = _buy ? OrderSide.Buy : OrderSide.Sell;
            _buy = !_buy;
            Submitted.Add((context.Submit(OrderRequest.Market(side, 1m)), side));
        }
    }

    [Fact]
    public void An_order_submitted_where_a_filled_one_left_its_slot_is_itself()
    {
        var candles = Enumerable.Range(0, 300).Select(i => new Candle(Bars.Start + (i * Bars.Hour), 100, 101, 99, 100, 1)).ToArray();
        var strategy = new EveryCandle();
        var r = BacktestEngine.Run(candles, strategy, new BacktestOptions { Instrument = Bars.Test, InitialCash = 1_000_000m, AllowShort = true, IntervalMs = Bars.Hour });

        Assert.True(strategy.Submitted.Count > 390, $"{strategy.Submitted.Count} orders");
        Assert.Equal(strategy.Submitted.Select(s => s.Id).Distinct().Count(), strategy.Submitted.Count);
        foreach (var (id, side) in strategy.Submitted)
        {
            var events = strategy.Events.Where(e => e.Order.Id == id).ToList();
            Assert.Equal(OrderEventKind.Accepted, events[0].Kind);
            Assert.All(events, e => Assert.Equal(side, e.Order.Side));
            Assert.All(events, e => Assert.Equal(1m, e.Order.Quantity));
            if (events.Count > 1)
            {
                Assert.Equal(OrderEventKind.Filled, events[1].Kind);
                Assert.Equal(id, events[1].Fill.OrderId);
                Assert.Equal(OrderStatus.Filled, events[1].Order.Status);
            }
        }

        // Every order but those still open at the end filled once, in submission order.
        Assert.Equal(strategy.Submitted.Count - r.OpenOrders.Count, r.FillCount);
        Assert.Equal(strategy.Submitted.Take(r.FillCount).Select(s => s.Id), r.Fills.Select(f => f.OrderId));
    }
}
