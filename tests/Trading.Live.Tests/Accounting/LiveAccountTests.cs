using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Live.Accounting;
using Trading.Live.Binance;

namespace Trading.Live.Tests.Accounting;

/// <summary>Fills booked in exact decimals with the commission in the asset the venue charged it in.</summary>
public sealed class LiveAccountTests
{
    [Fact]
    public void Commission_in_the_quote_asset_comes_off_the_cash()
    {
        var a = new LiveAccount(Instrument.BtcUsdt, 1000m);
        a.Apply(OrderSide.Buy, 100m, 2m, 0.2m, CommissionAsset.Quote);
        Assert.Equal((799.8m, 2m, 100m, 0.2m), (a.Cash, a.Position.Quantity, a.Position.AveragePrice, a.FeesPaid));
        var realized = a.Apply(OrderSide.Sell, 110m, 2m, 0.22m, CommissionAsset.Quote);
        Assert.Equal((20m, 1019.58m, 0m, 0.42m), (realized, a.Cash, a.Position.Quantity, a.FeesPaid));
        Assert.Equal(1019.58m, a.Equity);
    }

    [Fact]
    public void A_buys_commission_in_the_base_asset_reduces_the_base_received()
    {
        var a = new LiveAccount(Instrument.BtcUsdt, 1000m);
        a.Apply(OrderSide.Buy, 100m, 2m, 0.002m, CommissionAsset.Base);
        Assert.Equal((800m, 1.998m, 0.2m), (a.Cash, a.Position.Quantity, a.FeesPaid));
        a.MarkAt(105m);
        Assert.Equal(800m + (1.998m * 105m), a.Equity);
        a.Apply(OrderSide.Sell, 105m, 1.998m, 0.20979m, CommissionAsset.Quote);
        Assert.Equal((0m, 800m + 209.79m - 0.20979m), (a.Position.Quantity, a.Cash));
    }

    [Fact]
    public void A_third_asset_commission_moves_neither_cash_nor_position()
    {
        var a = new LiveAccount(Instrument.BtcUsdt, 1000m);
        a.Apply(OrderSide.Buy, 100m, 1m, 0.01m, CommissionAsset.Other);
        Assert.Equal((900m, 1m, 0m, 0.01m), (a.Cash, a.Position.Quantity, a.FeesPaid, a.OtherAssetFees));
    }
}
