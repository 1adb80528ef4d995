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

    private static BacktestOptions Sweep => new() { RecordEquity = false, RecordFills = false, RecordTrades = false, IntervalMs = Bars.Hour };

    [Fact]
    public void An_optimizer_style_run_allocates_little_beyond_its_result_and_strategy()
    {
        var parameters = ParameterSet.From(("fast", 10), ("slow", 30));
        var descriptor = Trading.Core.Strategies.BuiltIn.SmaCross.Descriptor;
        for (var i = 0; i < 3; i++)
        {
            BacktestEngine.Run(SampleData.Candles, descriptor, parameters, Sweep); // JIT, the thread's working state
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var r = BacktestEngine.Run(SampleData.Candles, descriptor, parameters, Sweep);
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;

        // 179 trades and 359 fills: a trade record each alone would be ~25 KB; the run's working state is reused.
        Assert.Equal(179, r.Metrics.Trades);
        Assert.True(bytes < 3_000, $"{bytes} bytes for one run");
    }

    /// <summary>Starts a whole backtest from inside its first candle's callback: the inner run must not share the outer's working state.</summary>
    private sealed class Nesting(Candle[] inner) : IStrategy
    {
        public Results.BacktestResult? Inner { get; private set; }

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            Inner ??= BacktestEngine.Run(inner, Trading.Core.Strategies.BuiltIn.SmaCross.Descriptor, ParameterSet.Empty, new BacktestOptions());
            if (context.Position.IsFlat && !context.IsWarmingUp)
            {
                context.Submit(OrderRequest.MarketQuote(OrderSide.Buy, 1_000m));
            }
        }
    }

    [Fact]
    public void A_run_nested_in_a_callback_and_the_runs_after_it_give_the_results_of_runs_alone()
    {
        var alone = BacktestEngine.Run(SampleData.Candles, Trading.Core.Strategies.BuiltIn.SmaCross.Descriptor, ParameterSet.Empty, new BacktestOptions());
        var nesting = new Nesting(SampleData.Candles);
        var outer = BacktestEngine.Run(SampleData.Candles.AsSpan(0, 500), nesting, new BacktestOptions());
        var after = BacktestEngine.Run(SampleData.Candles, Trading.Core.Strategies.BuiltIn.SmaCross.Descriptor, ParameterSet.Empty, new BacktestOptions());

        Assert.Equal(alone.OrderListHash, nesting.Inner!.OrderListHash);
        Assert.Equal(alone.Metrics, nesting.Inner.Metrics);
        Assert.Equal(alone.OrderListHash, after.OrderListHash);
        Assert.Equal(alone.Metrics, after.Metrics);
        Assert.Equal(1, outer.FillCount);
    }
}
