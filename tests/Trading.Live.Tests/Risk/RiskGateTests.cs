using Trading.Core.Orders;
using Trading.Live.Risk;

namespace Trading.Live.Tests.Risk;

/// <summary>Each rule of the risk gate, on a driven clock (ms).</summary>
public sealed class RiskGateTests
{
    private static RiskCheck Check(RiskGate gate, in OrderRequest order, decimal last = 100m, decimal position = 0, decimal openBuy = 0,
        decimal openSell = 0, int open = 0, long now = 0) => gate.Check(order, last, position, openBuy, openSell, open, now);

    [Fact]
    public void No_limits_pass_everything()
    {
        Assert.True(Check(new RiskGate(RiskLimits.None), OrderRequest.Market(OrderSide.Buy, 1_000_000m)).Passed);
    }

    [Fact]
    public void Max_position_counts_same_side_open_orders_and_lets_reductions_through()
    {
        var gate = new RiskGate(new RiskLimits { MaxPosition = 1m });
        Assert.True(Check(gate, OrderRequest.Market(OrderSide.Buy, 0.6m), position: 0.4m).Passed);
        var r = Check(gate, OrderRequest.Market(OrderSide.Buy, 0.6m), position: 0.4m, openBuy: 0.1m);
        Assert.Equal(RiskRule.MaxPosition, r.Rule);
        Assert.Contains("1.1", r.Reason, StringComparison.Ordinal);
        Assert.True(Check(gate, OrderRequest.Market(OrderSide.Sell, 0.5m), position: 1.5m).Passed); // reduces an oversized long
        Assert.Equal(RiskRule.MaxPosition, Check(gate, OrderRequest.Market(OrderSide.Sell, 1.2m), position: 0m).Rule);
    }

    [Fact]
    public void Max_order_notional_uses_the_limit_price_or_the_last_price()
    {
        var gate = new RiskGate(new RiskLimits { MaxOrderNotional = 1000m });
        Assert.True(Check(gate, OrderRequest.Market(OrderSide.Buy, 10m), last: 100m).Passed);
        Assert.Equal(RiskRule.MaxOrderNotional, Check(gate, OrderRequest.Market(OrderSide.Buy, 10.01m), last: 100m).Rule);
        Assert.Equal(RiskRule.MaxOrderNotional, Check(gate, OrderRequest.Limit(OrderSide.Buy, 10m, 101m), last: 100m).Rule);
        Assert.Equal(RiskRule.MaxOrderNotional, Check(gate, OrderRequest.MarketQuote(OrderSide.Buy, 1000.5m)).Rule);
    }

    [Fact]
    public void Max_open_orders_includes_this_one()
    {
        var gate = new RiskGate(new RiskLimits { MaxOpenOrders = 2 });
        Assert.True(Check(gate, OrderRequest.Market(OrderSide.Buy, 1m), open: 1).Passed);
        Assert.Equal(RiskRule.MaxOpenOrders, Check(gate, OrderRequest.Market(OrderSide.Buy, 1m), open: 2).Rule);
    }

    [Fact]
    public void Orders_per_second_is_a_token_bucket_on_the_engine_clock()
    {
        var gate = new RiskGate(new RiskLimits { MaxOrdersPerSecond = 2 });
        var order = OrderRequest.Market(OrderSide.Buy, 1m);
        Assert.True(Check(gate, order, now: 1_000).Passed);
        Assert.True(Check(gate, order, now: 1_000).Passed);
        Assert.Equal(RiskRule.OrdersPerSecond, Check(gate, order, now: 1_100).Rule);
        Assert.True(Check(gate, order, now: 1_500).Passed); // 0.5 s refilled one token
        Assert.Equal(RiskRule.OrdersPerSecond, Check(gate, order, now: 1_600).Rule);
        Assert.True(Check(gate, order, now: 10_000).Passed);
        Assert.True(Check(gate, order, now: 10_000).Passed); // the burst is capped at the rate
        Assert.Equal(RiskRule.OrdersPerSecond, Check(gate, order, now: 10_000).Rule);
    }

    [Fact]
    public void Refused_orders_do_not_spend_the_rate()
    {
        var gate = new RiskGate(new RiskLimits { MaxOrdersPerSecond = 1, MaxOpenOrders = 1 });
        Assert.Equal(RiskRule.MaxOpenOrders, Check(gate, OrderRequest.Market(OrderSide.Buy, 1m), open: 1, now: 0).Rule);
        Assert.True(Check(gate, OrderRequest.Market(OrderSide.Buy, 1m), now: 0).Passed);
    }

    [Fact]
    public void Price_band_against_the_last_price_for_limit_and_stop_orders()
    {
        var gate = new RiskGate(new RiskLimits { PriceBandBps = 100 });
        Assert.True(Check(gate, OrderRequest.Limit(OrderSide.Buy, 1m, 99m), last: 100m).Passed);
        var r = Check(gate, OrderRequest.Limit(OrderSide.Buy, 1m, 98.99m), last: 100m);
        Assert.Equal(RiskRule.PriceBand, r.Rule);
        Assert.Contains("101 bps", r.Reason, StringComparison.Ordinal);
        Assert.Equal(RiskRule.PriceBand, Check(gate, OrderRequest.StopMarket(OrderSide.Sell, 1m, 120m), last: 100m).Rule);
        Assert.True(Check(gate, OrderRequest.Market(OrderSide.Buy, 1m), last: 100m).Passed);
    }

    [Fact]
    public void Daily_loss_trips_the_kill_switch_once_and_it_blocks_every_order()
    {
        var gate = new RiskGate(new RiskLimits { MaxDailyLoss = 100m });
        const long day = 86_400_000;
        Assert.False(gate.OnEquity(10_000m, 5 * day));
        Assert.False(gate.OnEquity(9_900m, (5 * day) + 10)); // exactly the limit: not beyond
        Assert.True(gate.OnEquity(9_899m, (5 * day) + 20));
        Assert.False(gate.OnEquity(9_000m, (5 * day) + 30));
        Assert.True(gate.Tripped);
        Assert.Contains("daily loss 101", gate.TripReason, StringComparison.Ordinal);
        var r = Check(gate, OrderRequest.Market(OrderSide.Sell, 1m));
        Assert.Equal(RiskRule.KillSwitch, r.Rule);
        Assert.True(gate.CheckFlatten());
    }

    [Fact]
    public void The_daily_loss_resets_at_the_utc_day()
    {
        var gate = new RiskGate(new RiskLimits { MaxDailyLoss = 100m });
        const long day = 86_400_000;
        gate.OnEquity(10_000m, (6 * day) - 1);
        Assert.False(gate.OnEquity(9_950m, (6 * day) - 1));
        Assert.False(gate.OnEquity(9_920m, 6 * day)); // a new day starts from 9,920
        Assert.Equal(9_920m, gate.DayStartEquity);
        Assert.False(gate.OnEquity(9_830m, (6 * day) + 1));
        Assert.True(gate.OnEquity(9_819m, (6 * day) + 2));
    }
}
