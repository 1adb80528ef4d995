using Trading.Backtest.Engine;
using Trading.Core.Market;
using Trading.Core.Strategies;

namespace MyStrategy.Tests;

/// <summary>
/// Backtests of the strategy on candles made here (no data file needed): a rise and a fall it must trade, the same way
/// every run. Replace them with your rule's cases; <c>quant backtest --strategy-assembly</c> runs it on real data.
/// </summary>
public sealed class MyStrategyTests
{
    private const long Hour = 3_600_000;

    [Fact]
    public void Buys_the_rise_and_sells_when_the_close_falls_below_the_average()
    {
        // 20 flat candles (the warm-up), 20 rising, 20 falling: one round trip, long in the rise.
        var closes = Enumerable.Repeat(100.0, 20)
            .Concat(Enumerable.Range(1, 20).Select(i => 100.0 + i))
            .Concat(Enumerable.Range(1, 20).Select(i => 120.0 - 2 * i))
            .ToArray();
        var result = BacktestEngine.Run(Candles(closes), MyStrategy.Descriptor, ParameterSet.From(("period", 10)), new BacktestOptions());

        var trade = Assert.Single(result.Trades);
        Assert.False(trade.IsOpen);
        Assert.Equal("below-average", trade.ExitReason);
        Assert.True(trade.EntryTime >= 20 * Hour && trade.EntryTime < 40 * Hour, "enters during the rise");
        Assert.True(trade.ExitTime >= 40 * Hour, "exits during the fall");
    }

    [Fact]
    public void Stays_flat_while_the_close_never_leaves_its_average()
    {
        var result = BacktestEngine.Run(Candles(Enumerable.Repeat(100.0, 60).ToArray()), MyStrategy.Descriptor, ParameterSet.From(("period", 10)), new BacktestOptions());

        Assert.Empty(result.Trades);
        Assert.Equal(10_000m, result.FinalEquity);
    }

    // Hourly candles whose open is the previous close, a little range around each.
    private static Candle[] Candles(double[] closes) =>
        closes.Select((close, i) =>
        {
            var open = i == 0 ? close : closes[i - 1];
            return new Candle(i * Hour, open, Math.Max(open, close) + 0.5, Math.Min(open, close) - 0.5, close, 10);
        }).ToArray();
}
