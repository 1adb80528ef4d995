using Trading.Backtest.Engine;
using Trading.Backtest.Results;
using Trading.Core.Orders;

namespace Trading.Backtest.Tests;

public sealed class FillModelTests
{
    private static readonly (double, double, double, double)[] FourBars =
    [
        (100, 105, 95, 102),
        (103, 108, 101, 107),
        (107, 110, 104, 109),
        (108, 112, 106, 111),
    ];

    private static BacktestOptions Options(bool onClose = false, double slippage = 0, bool shorts = false) => new()
    {
        InitialCash = 10_000m,
        FeeRate = 0.001m,
        Instrument = Bars.Test,
        TradeOnClose = onClose,
        SlippageBps = slippage,
        AllowShort = shorts,
    };

    [Fact]
    public void Market_orders_fill_at_the_next_open_with_fees()
    {
        var s = new ScriptedStrategy((0, OrderRequest.Market(OrderSide.Buy, 10)), (2, OrderRequest.Market(OrderSide.Sell, 10)));
        var r = BacktestEngine.Run(Bars.Hourly(FourBars), s, Options());

        // Buy 10 at c1's open 103: 1030 + fee 1.03. Sell 10 at c3's open 108: 1080 − fee 1.08.
        Assert.Equal(2, r.Fills.Count);
        Assert.Equal((103m, Bars.Start + Bars.Hour), (r.Fills[0].Price, r.Fills[0].Time));
        Assert.Equal((108m, Bars.Start + (3 * Bars.Hour)), (r.Fills[1].Price, r.Fills[1].Time));
        Assert.Equal(1.03m, r.Fills[0].Fee);
        Assert.Equal(10_047.89m, r.FinalEquity);
        Assert.Equal([10_000, 10_038.97, 10_058.97, 10_047.89], r.Equity.Select(e => Math.Round(e, 6)));

        var t = Assert.Single(r.Trades);
        Assert.Equal(47.89m, t.Pnl);
        Assert.Equal(2.11m, t.Fees);
        Assert.Equal(47.89 / 1030 * 100, t.ReturnPct, 12);
        Assert.Equal(50.0, r.Metrics.ExposurePct);
        Assert.Equal(2.11, r.Metrics.Fees, 12);
    }

    [Fact]
    public void Trade_on_close_fills_at_the_signal_candles_close()
    {
        var s = new ScriptedStrategy((0, OrderRequest.Market(OrderSide.Buy, 10)), (2, OrderRequest.Market(OrderSide.Sell, 10)));
        var r = BacktestEngine.Run(Bars.Hourly(FourBars), s, Options(onClose: true));

        Assert.Equal([102m, 109m], r.Fills.Select(f => f.Price));
        Assert.Equal(Bars.Start + Bars.Hour, r.Fills[0].Time); // the close of c0
        Assert.Equal(67.89m, r.Trades[0].Pnl);                // 70 − 1.02 − 1.09
        Assert.Equal(10_067.89m, r.FinalEquity);
    }

    [Fact]
    public void Slippage_moves_market_fills_against_the_trader_onto_the_tick_grid()
    {
        var s = new ScriptedStrategy((0, OrderRequest.Market(OrderSide.Buy, 10)), (2, OrderRequest.Market(OrderSide.Sell, 10)));
        var r = BacktestEngine.Run(Bars.Hourly(FourBars), s, Options(slippage: 7));

        // 103 × 1.0007 = 103.0721 → up to 103.08; 108 × 0.9993 = 107.9244 → down to 107.92.
        Assert.Equal([103.08m, 107.92m], r.Fills.Select(f => f.Price));
    }

    [Fact]
    public void Quantities_round_down_to_the_lot_step()
    {
        var s = new ScriptedStrategy((0, OrderRequest.Market(OrderSide.Buy, 1.23456m)));
        var r = BacktestEngine.Run(Bars.Hourly(FourBars), s, Options());
        Assert.Equal(1.234m, r.Fills[0].Quantity);
    }

    [Fact]
    public void Whole_unit_lot_step_buys_whole_units_with_a_quote_budget()
    {
        var whole = Bars.Test with { LotStep = 1, MinQuantity = 1 };
        var s = new ScriptedStrategy((0, OrderRequest.MarketQuote(OrderSide.Buy, 10_000m)));
        var r = BacktestEngine.Run(Bars.Hourly(FourBars), s, Options() with { Instrument = whole });

        // 10 000 / (103 × 1.001) = 96.99… → 96 units.
        Assert.Equal(96m, r.Fills[0].Quantity);
    }

    [Fact]
    public void An_unaffordable_order_is_rejected_and_the_strategy_is_told_why()
    {
        var s = new ScriptedStrategy((0, OrderRequest.Market(OrderSide.Buy, 100)));
        var r = BacktestEngine.Run(Bars.Hourly(FourBars), s, Options());

        Assert.Empty(r.Fills);
        var reason = Assert.Single(s.Rejections);
        Assert.StartsWith("insufficient cash: buying 100 at 103 costs 10310.3 with fee, cash is 10000", reason);
        Assert.Equal(OrderStatus.Rejected, Assert.Single(r.RejectedOrders).Status);
        Assert.Equal(10_000m, r.FinalEquity);
    }

    [Fact]
    public void Orders_below_the_minimum_notional_are_rejected()
    {
        var s = new ScriptedStrategy((0, OrderRequest.Market(OrderSide.Buy, 0.005m)));
        BacktestEngine.Run(Bars.Hourly(FourBars), s, Options());
        Assert.Contains("below the minimum notional 1", Assert.Single(s.Rejections));
    }

    [Fact]
    public void Selling_without_a_position_is_rejected_when_shorting_is_off()
    {
        var s = new ScriptedStrategy((0, OrderRequest.Market(OrderSide.Sell, 1)));
        BacktestEngine.Run(Bars.Hourly(FourBars), s, Options());
        Assert.Equal("cannot sell 1: the position is 0 and shorting is off (--allow-short)", Assert.Single(s.Rejections));
    }

    [Fact]
    public void Limit_orders_fill_at_their_price_or_at_a_gap_open()
    {
        var bars = Bars.Hourly((100, 101, 99, 100), (100, 101, 94, 96), (90, 92, 88, 91), (91, 93, 90, 92));
        var s = new ScriptedStrategy(
            (0, OrderRequest.Limit(OrderSide.Buy, 1, 95m)),   // c1 trades down to 94: fills at 95
            (1, OrderRequest.Limit(OrderSide.Buy, 1, 93m)));  // c2 opens at 90, through 93: fills at the open
        var r = BacktestEngine.Run(bars, s, Options());
        Assert.Equal([95m, 90m], r.Fills.Select(f => f.Price));
        Assert.Equal([Bars.Start + Bars.Hour, Bars.Start + (2 * Bars.Hour)], r.Fills.Select(f => f.Time));
    }

    [Fact]
    public void A_limit_that_never_trades_is_reported_open_not_filled()
    {
        var s = new ScriptedStrategy((0, OrderRequest.Limit(OrderSide.Buy, 1, 50m)));
        var r = BacktestEngine.Run(Bars.Hourly(FourBars), s, Options());
        Assert.Empty(r.Fills);
        Assert.Equal(50m, Assert.Single(r.OpenOrders).Price);
    }

    [Fact]
    public void Stop_orders_trigger_through_the_range_and_fill_at_a_gap_open()
    {
        var bars = Bars.Hourly((100, 101, 99, 100), (100, 100, 98, 99), (99, 100, 89, 92), (85, 86, 80, 81));
        var s = new ScriptedStrategy(
            (0, OrderRequest.Market(OrderSide.Buy, 2)),            // fills at c1 open 100
            (1, OrderRequest.StopMarket(OrderSide.Sell, 1, 90m)),  // c2 trades down to 89: fills at 90
            (2, OrderRequest.StopMarket(OrderSide.Sell, 1, 88m))); // c3 opens at 85, below 88: fills at 85
        var r = BacktestEngine.Run(bars, s, Options());
        Assert.Equal([100m, 90m, 85m], r.Fills.Select(f => f.Price));

        // One round trip: 2 bought at 100, sold 1 at 90 and 1 at 85 → average exit 87.5.
        var t = Assert.Single(r.Trades);
        Assert.Equal(87.5m, t.ExitPrice);
        Assert.Equal(-25m - (0.2m + 0.09m + 0.085m), t.Pnl);
    }

    [Fact]
    public void A_short_profits_when_the_price_falls()
    {
        var bars = Bars.Hourly((100, 101, 99, 100), (100, 101, 95, 96), (90, 92, 88, 91), (91, 93, 90, 92));
        var s = new ScriptedStrategy((0, OrderRequest.Market(OrderSide.Sell, 10)), (1, OrderRequest.Market(OrderSide.Buy, 10)));
        var r = BacktestEngine.Run(bars, s, Options(shorts: true));

        // Short 10 at 100 (fee 1), cover at 90 (fee 0.9): +100 − 1.9.
        var t = Assert.Single(r.Trades);
        Assert.Equal(TradeSide.Short, t.Side);
        Assert.Equal(98.1m, t.Pnl);
        Assert.Equal(10_098.1m, r.FinalEquity);

        // At c1's close the short is marked at 96: cash 10 000 + 1 000 − 1 = 10 999, minus 10 × 96.
        Assert.Equal(10_039, r.Equity[1], 9);
    }

    [Fact]
    public void A_short_larger_than_equity_is_rejected()
    {
        var s = new ScriptedStrategy((0, OrderRequest.Market(OrderSide.Sell, 120)));
        BacktestEngine.Run(Bars.Hourly(FourBars), s, Options(shorts: true));
        Assert.StartsWith("insufficient margin: a short of 120 at 103", Assert.Single(s.Rejections));
    }

    [Fact]
    public void Close_at_end_flattens_at_the_last_close()
    {
        var s = new ScriptedStrategy((0, OrderRequest.Market(OrderSide.Buy, 10)));
        var open = BacktestEngine.Run(Bars.Hourly(FourBars), new ScriptedStrategy((0, OrderRequest.Market(OrderSide.Buy, 10))), Options());
        var closed = BacktestEngine.Run(Bars.Hourly(FourBars), s, Options() with { CloseAtEnd = true });

        Assert.Equal(1, open.Metrics.OpenTrades);
        Assert.True(Assert.Single(open.Trades).IsOpen);
        Assert.Equal(111m, open.Trades[0].ExitPrice);

        var t = Assert.Single(closed.Trades);
        Assert.Equal("end", t.ExitReason);
        Assert.Equal(111m, t.ExitPrice);
        Assert.Equal(0, closed.Metrics.OpenTrades);
        Assert.Equal(1, closed.Metrics.Trades);
    }

    [Fact]
    public void Reruns_give_the_same_order_list_hash()
    {
        OrderRequest buy = OrderRequest.Market(OrderSide.Buy, 10), sell = OrderRequest.Market(OrderSide.Sell, 10);
        var a = BacktestEngine.Run(Bars.Hourly(FourBars), new ScriptedStrategy((0, buy), (2, sell)), Options());
        var b = BacktestEngine.Run(Bars.Hourly(FourBars), new ScriptedStrategy((0, buy), (2, sell)), Options());
        var c = BacktestEngine.Run(Bars.Hourly(FourBars), new ScriptedStrategy((0, buy), (1, sell)), Options());
        Assert.Equal(a.OrderListHash, b.OrderListHash);
        Assert.NotEqual(a.OrderListHash, c.OrderListHash);

        // SHA-256 of "1704070800000,BUY,103,10\n1704078000000,SELL,108,10\n".
        var text = "1704070800000,BUY,103,10\n1704078000000,SELL,108,10\n";
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        Assert.Equal(expected, a.OrderListHash);
    }
}
