using Trading.Backtest.Engine;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Tests;

/// <summary>Orders cost no heap allocation in steady state: their slots are reused once they leave the book.</summary>
public sealed class AllocationTests
{
    /// <summary>Rests a buy limit below the market at every close and cancels it at the next: two order lives a candle, nothing kept.</summary>
    private sealed class RestAndCancel : IStrategy
    {
        private ClientOrderId _resting;

        public int Canceled { get; private set; }

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            if (!_resting.IsNone && context.Cancel(_resting))
            {
                Canceled++;
            }

            _resting = context.Submit(OrderRequest.Limit(OrderSide.Buy, 1m, 50m));
        }
    }

    private static long AllocatedByRun(Candle[] candles, out int canceled)
    {
        var strategy = new RestAndCancel();
        var options = new BacktestOptions { Instrument = Bars.Test, RecordEquity = false, IntervalMs = Bars.Hour };
        var before = GC.GetAllocatedBytesForCurrentThread();
        BacktestEngine.Run(candles, strategy, options);
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        canceled = strategy.Canceled;
        return bytes;
    }

    [Fact]
    public void Ten_times_the_orders_allocate_no_more_than_a_few_hundred_bytes_more()
    {
        static Candle[] Flat(int n) => Enumerable.Range(0, n).Select(i => new Candle(Bars.Start + (i * Bars.Hour), 100, 101, 99, 100, 1)).ToArray();
        Candle[] small = Flat(200), large = Flat(2_000);
        AllocatedByRun(small, out _); // first run: JIT, static caches
        AllocatedByRun(large, out _);

        var few = AllocatedByRun(small, out var fewCanceled);
        var many = AllocatedByRun(large, out var manyCanceled);

        Assert.Equal(199, fewCanceled);
        Assert.Equal(1_999, manyCanceled);

        // 1,800 more orders: a new Order each would be ~300 KB; reused slots leave only the lists' growth.
        Assert.True(many - few < 4_096, $"{many - few} bytes more for 1,800 more orders");
    }
}
