using Trading.Backtest.Engine;
using Trading.Backtest.Results;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Tests;

/// <summary>
/// A quote-sized entry is sized at its fill against the cash then available, so an all-in reversal (cover the short,
/// then buy with the whole equity, both at the same open) is never refused for the cover's fee and the gap.
/// </summary>
public sealed class ReversalTests
{
    [Fact]
    public void An_all_in_long_after_a_cover_at_the_same_open_spends_the_cash_left()
    {
        // Short 10 at c1's open 100 (fee 1): cash 10 999. On c1 (close 96) equity is 10 999 − 960 = 10 039: the long's
        // budget. At c2's open 98 the cover costs 980 + 0.98, leaving 10 018.02 < 10 039: the entry spends 10 018.02.
        var s = new ProbeStrategy
        {
            Candle = (c, i) =>
            {
                if (i == 0)
                {
                    c.Submit(OrderRequest.Market(OrderSide.Sell, 10));
                }
                else if (i == 1)
                {
                    Assert.Equal(10_039m, c.Equity);
                    c.Submit(OrderRequest.Market(OrderSide.Buy, 10, "cover"));
                    c.Submit(OrderRequest.MarketQuote(OrderSide.Buy, c.Equity, "entry"));
                }
            },
        };
        var bars = Bars.Hourly((100, 101, 99, 100), (100, 101, 95, 96), (98, 99, 97, 98), (98, 99, 97, 98));
        var r = BacktestEngine.Run(bars, s, new BacktestOptions { Instrument = Bars.Test, AllowShort = true });

        Assert.Empty(r.RejectedOrders);
        // 10 018.02 / (98 × 1.001) = 102.12… → 102.122 at lot 0.001 (102.122 × 98.098 = 10 017.96).
        Assert.Equal([10m, 10m, 102.122m], r.Fills.Select(f => f.Quantity));
        Assert.True(r.Cash[2] >= 0);
    }

    [Fact]
    public void Sma_cross_with_shorts_on_the_shipped_data_alternates_longs_and_shorts_without_a_rejection()
    {
        var d = StrategyRegistry.CreateDefault().Get("sma-cross");
        var r = BacktestEngine.Run(SampleData.Candles, d, ParameterSet.Empty, new BacktestOptions { AllowShort = true });

        Assert.Empty(r.RejectedOrders);
        var sides = r.Trades.Select(t => t.Side).ToList();
        Assert.True(sides.Count > 300, $"expected a trade per cross, got {sides.Count}");
        Assert.InRange(sides.Count(x => x == TradeSide.Long) - sides.Count(x => x == TradeSide.Short), -1, 1);
        for (var i = 1; i < sides.Count; i++)
        {
            Assert.NotEqual(sides[i - 1], sides[i]);
        }
    }
}
