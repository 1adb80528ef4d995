using Trading.Core.Accounting;
using Trading.Core.Orders;

namespace Trading.Core.Tests.Orders;

/// <summary>The shared commission rule, by hand: rate 0.1 %.</summary>
public sealed class CommissionTests
{
    [Fact]
    public void Quote_fees_are_notional_times_rate_in_cash_unrounded()
    {
        Assert.Equal(new Commission(0.00125m, false), Commission.For(OrderSide.Buy, 0.000025m, 50_000m, 0.001m, FeeAsset.Quote));
        Assert.Equal(new Commission(0.0123456789m, false), Commission.For(OrderSide.Sell, 1m, 12.3456789m, 0.001m, FeeAsset.Quote));
    }

    [Fact]
    public void Received_fees_are_the_amount_received_times_rate_rounded_to_8_places_away_from_zero()
    {
        // A buy receives 0.000025 BTC: 0.000025 × 0.001 = 0.000000025, a midpoint: away from zero gives 0.00000003
        // (banker's rounding would give 0.00000002).
        Assert.Equal(new Commission(0.00000003m, true), Commission.For(OrderSide.Buy, 0.000025m, 50_000m, 0.001m, FeeAsset.Received));

        // A sell receives 1 × 12.3456789 = 12.3456789 USDT: 0.0123456789 → 0.01234568.
        Assert.Equal(new Commission(0.01234568m, false), Commission.For(OrderSide.Sell, 1m, 12.3456789m, 0.001m, FeeAsset.Received));
        Assert.Equal(-0.00000003m, Commission.Round(-0.000000025m));
    }

    [Fact]
    public void A_base_asset_fee_comes_out_of_the_position_not_the_cash()
    {
        var p = new Portfolio(1_000m);
        var fee = Commission.For(OrderSide.Buy, 2m, 100m, 0.001m, FeeAsset.Received);
        p.Apply("X", new Fill(new ClientOrderId(1), 0, OrderSide.Buy, 100m, 2m, fee.Amount, FeeInBase: fee.InBase));

        Assert.Equal(800m, p.Cash);                          // 1 000 − 2 × 100
        Assert.Equal(1.998m, p.GetPosition("X").Quantity);   // 2 − 0.002
        Assert.Equal(0.2m, p.FeesPaid);                      // 0.002 × 100, in the quote asset
        Assert.Equal(999.8m, p.Equity);
    }
}
