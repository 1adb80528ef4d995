using Trading.Backtest.Engine;
using Trading.Core.Orders;

namespace Trading.Backtest.Tests;

/// <summary>
/// Timers on the replay clock. Per candle the replay has two market events: the fills at its open (stamped with the
/// open time) and the closed candle (stamped with its close time, the next candle's open). A timer due at t fires,
/// with Now = t, just before the first of them stamped later than t.
/// </summary>
public sealed class TimerTests
{
    private static readonly (double, double, double, double)[] FourBars =
    [
        (100, 105, 95, 102),
        (103, 108, 101, 107),
        (107, 110, 104, 109),
        (108, 112, 106, 111),
    ];

    private static BacktestOptions Options(bool onClose = false) => new() { Instrument = Bars.Test, TradeOnClose = onClose };

    [Fact]
    public void A_quarter_hour_timer_fires_four_times_per_hourly_candle_in_time_order()
    {
        var s = new ProbeStrategy { Start = c => c.SetTimer("q", TimeSpan.FromMinutes(15)) };
        BacktestEngine.Run(Bars.Hourly(FourBars[..2]), s, Options());

        // Due at 15, 30, 45 (before candle 0 closes at 60); the one due at 60 is not before the close stamped 60 nor
        // the fills at candle 1's open stamped 60, so it fires before candle 1's close at 120. Nothing is later than
        // the last close, so the timer due at 120 never fires.
        Assert.Equal(
            ["start@0", "timer q@15", "timer q@30", "timer q@45", "candle 0@60", "timer q@60", "timer q@75", "timer q@90", "timer q@105", "candle 1@120"],
            s.Log);
    }

    [Fact]
    public void A_market_order_from_a_timer_fills_at_the_next_open_even_when_trading_on_close()
    {
        foreach (var onClose in new[] { false, true })
        {
            decimal equityAtAlarm = 0;
            long nowAtAlarm = 0;
            var s = new ProbeStrategy
            {
                Start = c => c.SetAlarm("buy", Bars.Start + (30 * 60_000)),
                Timer = (c, t) =>
                {
                    nowAtAlarm = c.Now;
                    equityAtAlarm = c.Equity;
                    c.Submit(OrderRequest.Market(OrderSide.Buy, 10));
                },
            };
            var r = BacktestEngine.Run(Bars.Hourly(FourBars), s, Options(onClose));

            // At 00:30 the latest price the replay has shown is candle 0's open (100); the order fills at candle 1's
            // open (103, at 01:00), never at candle 0's close, which lies in the alarm's future.
            Assert.Equal(Bars.Start + (30 * 60_000), nowAtAlarm);
            Assert.Equal(10_000m, equityAtAlarm);
            var fill = Assert.Single(r.Fills);
            Assert.Equal((103m, Bars.Start + Bars.Hour), (fill.Price, fill.Time));
            Assert.Equal(["start@0", "timer buy@30", "Accepted 1@30", "candle 0@60", "Filled 1@60"], s.Log.Take(5));
        }
    }

    [Fact]
    public void An_alarm_due_exactly_at_a_candle_boundary_fires_after_that_opens_fills()
    {
        var s = new ProbeStrategy
        {
            Candle = (c, i) =>
            {
                if (i == 0)
                {
                    c.Submit(OrderRequest.Market(OrderSide.Buy, 10));
                    c.SetAlarm("sell", c.Now); // 01:00, the close of candle 0 and the open of candle 1
                }
            },
            Timer = (c, t) => c.Submit(OrderRequest.Market(OrderSide.Sell, c.Position.Quantity)),
        };
        var r = BacktestEngine.Run(Bars.Hourly(FourBars), s, Options());

        // The buy fills at candle 1's open (stamped 60, not later than the alarm's 60); the alarm fires next, sees the
        // position and sells it at candle 2's open, 107.
        Assert.Equal(["Filled 1@60", "timer sell@60", "Accepted 2@60", "candle 1@120", "Filled 2@120"], s.Log.Skip(3).Take(5));
        Assert.Equal([103m, 107m], r.Fills.Select(f => f.Price));
    }

    [Fact]
    public void A_timer_set_again_is_replaced_and_a_canceled_one_never_fires()
    {
        var s = new ProbeStrategy
        {
            Start = c =>
            {
                c.SetTimer("a", TimeSpan.FromMinutes(20));
                c.SetTimer("a", TimeSpan.FromMinutes(50)); // replaces the 20-minute one
                c.SetAlarm("b", Bars.Start + (10 * 60_000));
                c.SetAlarm("c", Bars.Start + (10 * 60_000));
            },
            Timer = (c, t) =>
            {
                if (t.Name == "b")
                {
                    Assert.True(c.CancelTimer("c"));
                    Assert.False(c.CancelTimer("c"));
                }
            },
        };
        BacktestEngine.Run(Bars.Hourly(FourBars[..2]), s, Options());
        Assert.Equal(["start@0", "timer b@10", "timer a@50", "candle 0@60", "timer a@100", "candle 1@120"], s.Log);
    }

    [Fact]
    public void An_alarm_in_the_past_fires_before_the_next_market_event()
    {
        var s = new ProbeStrategy { Candle = (c, i) => { if (i == 0) { c.SetAlarm("late", Bars.Start); } } };
        BacktestEngine.Run(Bars.Hourly(FourBars[..2]), s, Options());

        // Set at 01:00 for 00:00: due before the next close (120); the clock never goes back, so Now reads 60.
        Assert.Equal(["start@0", "candle 0@60", "timer late@60", "candle 1@120"], s.Log);
    }

    [Fact]
    public void A_timer_interval_below_one_millisecond_is_refused()
    {
        var s = new ProbeStrategy { Start = c => c.SetTimer("zero", TimeSpan.Zero) };
        Assert.Throws<ArgumentOutOfRangeException>(() => BacktestEngine.Run(Bars.Hourly(FourBars[..1]), s, Options()));
    }
}
