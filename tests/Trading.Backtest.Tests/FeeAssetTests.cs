using Trading.Backtest.Engine;
using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Backtest.Tests;

/// <summary>
/// Fees in the received asset (Binance spot without BNB): a buy pays its fee in the base asset, a sell in the quote
/// asset, each the amount received × rate rounded to 8 decimals, midpoint away from zero.
/// </summary>
public sealed class FeeAssetTests
{
    private static readonly (double, double, double, double)[] FourBars =
    [
        (100, 105, 95, 102),
        (103, 108, 101, 107),
        (107, 110, 104, 109),
        (108, 112, 106, 111),
    ];

    /// <summary>Buys 10 on candle 0, sells what the position holds on candle 2.</summary>
    private static ProbeStrategy BuyThenSellHeld(decimal quantity = 10) => new()
    {
        Candle = (c, i) =>
        {
            if (i == 0)
            {
                c.Submit(OrderRequest.Market(OrderSide.Buy, quantity));
            }
            else if (i == 2)
            {
                c.Submit(OrderRequest.Market(OrderSide.Sell, c.Position.Quantity));
            }
        },
    };

    [Fact]
    public void A_buy_pays_its_fee_in_the_base_asset_and_the_exit_sells_what_is_held()
    {
        var s = BuyThenSellHeld();
        var r = BacktestEngine.Run(Bars.Hourly(FourBars), s, new BacktestOptions { Instrument = Bars.Test, FeeAsset = FeeAsset.Received });

        // Buy 10 at 103: fee 10 × 0.001 = 0.01 base, so 9.99 held; cash 10 000 − 1 030 = 8 970.
        var buy = r.Fills[0];
        Assert.Equal((0.01m, true), (buy.Fee, buy.FeeInBase));
        Assert.Equal(9.99, r.PositionQuantity[1]);
        Assert.Equal(8_970, r.Cash[1]);

        // Sell 9.99 at 108: 1 078.92, fee 1.07892 quote. Cash 8 970 + 1 078.92 − 1.07892 = 10 047.84108.
        var sell = r.Fills[1];
        Assert.Equal((9.99m, 1.07892m, false), (sell.Quantity, sell.Fee, sell.FeeInBase));
        Assert.Equal(10_047.84108m, r.FinalEquity);

        // The trade: (108 − 103) × 9.99 − (0.01 × 103 + 1.07892) = 49.95 − 2.10892.
        var t = Assert.Single(r.Trades);
        Assert.Equal(47.84108m, t.Pnl);
        Assert.Equal(2.10892m, t.Fees);
        Assert.Equal(2.10892, r.Metrics.Fees, 12);
    }

    [Fact]
    public void Quote_fees_are_charged_in_cash_as_before()
    {
        var r = BacktestEngine.Run(Bars.Hourly(FourBars), BuyThenSellHeld(), new BacktestOptions { Instrument = Bars.Test });
        Assert.Equal([(1.03m, false), (1.08m, false)], r.Fills.Select(f => (f.Fee, f.FeeInBase)));
        Assert.Equal(10_047.89m, r.FinalEquity);
    }

    [Fact]
    public void Dust_below_one_lot_stays_in_the_account_but_not_in_the_tradable_position()
    {
        // BTCUSDT's lot step 0.00001: buying 0.12345 at 103 pays 0.00012345 BTC, leaving 0.12332655, of which
        // 0.12332 can be sold; the 0.00000655 left is dust, worth 0.00000655 × 111 at the last close.
        var positions = new List<decimal>();
        var s = new ProbeStrategy
        {
            Candle = (c, i) =>
            {
                positions.Add(c.Position.Quantity);
                if (i == 0)
                {
                    c.Submit(OrderRequest.Market(OrderSide.Buy, 0.12345m));
                }
                else if (i == 2)
                {
                    c.Submit(OrderRequest.Market(OrderSide.Sell, c.Position.Quantity));
                }
            },
        };
        var instrument = Instrument.BtcUsdt with { MinNotional = 1 };
        var r = BacktestEngine.Run(Bars.Hourly(FourBars), s, new BacktestOptions { Instrument = instrument, FeeAsset = FeeAsset.Received });

        Assert.Equal([0m, 0.12332m, 0.12332m, 0m], positions);
        Assert.Equal(0.00012345m, r.Fills[0].Fee);
        Assert.Equal(0.12332m, r.Fills[1].Quantity);
        var t = Assert.Single(r.Trades);
        Assert.False(t.IsOpen);
        Assert.Equal(0, r.Metrics.OpenTrades);

        // Cash: 10 000 − 12.71535 + 0.12332 × 108 × 0.999 (rounded fee 0.01331856) + dust at 111.
        var cash = 10_000m - 12.71535m + 13.31856m - 0.01331856m;
        Assert.Equal(cash + (0.00000655m * 111m), r.FinalEquity);
        Assert.Equal(0.00000655, r.PositionQuantity[^1], 12);
        Assert.Equal(50, r.Metrics.ExposurePct, 12); // closes 1 and 2 hold a position; the dust at close 3 does not count
    }

    [Fact]
    public void Quote_sized_buys_under_received_fees_spend_the_whole_budget_on_the_asset()
    {
        var s = new ProbeStrategy { Candle = (c, i) => { if (i == 0) { c.Submit(OrderRequest.MarketQuote(OrderSide.Buy, 1_030m)); } } };
        var r = BacktestEngine.Run(Bars.Hourly(FourBars), s, new BacktestOptions { Instrument = Bars.Test, FeeAsset = FeeAsset.Received });

        // No fee comes out of cash, so 1 030 buys exactly 10 at 103 (with quote fees, 9.99).
        Assert.Equal((10m, 0.01m), (r.Fills[0].Quantity, r.Fills[0].Fee));
    }

    [Fact]
    public void Received_fees_cannot_be_combined_with_shorting()
    {
        var e = Assert.Throws<ArgumentException>(() => BacktestEngine.Run(Bars.Hourly(FourBars), BuyThenSellHeld(), new BacktestOptions { FeeAsset = FeeAsset.Received, AllowShort = true }));
        Assert.StartsWith("fees in the received asset model Binance spot, which has no shorts", e.Message);
    }
}
