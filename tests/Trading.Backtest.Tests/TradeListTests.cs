using Trading.Backtest.Engine;
using Trading.Backtest.Results;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Tests;

/// <summary>A result's trades are kept as rows and read back as records: the same records, exit reasons included, however often read and whatever the thread runs next.</summary>
public sealed class TradeListTests
{
    /// <summary>Round trips of one unit, each exit tagged with its own reason (a new string each: the lookup by value), the last left open.</summary>
    private sealed class Tagged(int trades) : IStrategy
    {
        private int _candle;

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            var k = _candle++;
            if (k >= 2 * trades + 1)
            {
                return;
            }

            context.Submit(k % 2 == 0
                ? OrderRequest.Market(OrderSide.Buy, 1m)
                : OrderRequest.Market(OrderSide.Sell, 1m, $"exit {k / 2 % 40}"));
        }
    }

    private static Candle[] Rising(int n) =>
        Enumerable.Range(0, n).Select(i => new Candle(Bars.Start + (i * Bars.Hour), 100 + i, 101 + i, 99 + i, 100 + i, 1)).ToArray();

    private static BacktestResult Run(int trades) =>
        BacktestEngine.Run(Rising(2 * trades + 5), new Tagged(trades), new BacktestOptions { Instrument = Bars.Test, InitialCash = 1_000_000m, FeeRate = 0m, IntervalMs = Bars.Hour });

    [Fact]
    public void Records_read_back_with_their_reasons_and_the_open_trade_last()
    {
        var r = Run(100);
        Assert.Equal(101, r.Trades.Count); // 100 closed, and the last buy still open
        for (var i = 0; i < 100; i++)
        {
            var t = r.Trades[i];
            Assert.Equal($"exit {i % 40}", t.ExitReason);
            Assert.Equal(101m + (2 * i), t.EntryPrice); // bought at the next open
            Assert.Equal(102m + (2 * i), t.ExitPrice);
            Assert.Equal(1m, t.Pnl);
            Assert.False(t.IsOpen);
        }

        Assert.True(r.Trades[100].IsOpen);
        Assert.Equal(r.Trades, r.Trades.ToList()); // the enumerator and the indexer agree
        Assert.Equal(r.Trades[5], r.Trades[5]);     // equal records each read
        Assert.Throws<ArgumentOutOfRangeException>(() => r.Trades[101]);
        Assert.Throws<ArgumentOutOfRangeException>(() => r.Trades[-1]);
    }

    [Fact]
    public void A_results_trades_stay_as_they_were_when_the_thread_runs_again()
    {
        var first = Run(60);
        var kept = first.Trades.ToList();
        var second = Run(7);   // the thread's ledger is reused for this one
        Assert.Equal(8, second.Trades.Count);
        Assert.Equal(kept, first.Trades);
        Assert.Equal(Run(60).Trades, first.Trades);
    }
}
