using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Engine;
using Trading.Live.Tests.Support;

namespace Trading.Live.Tests.Engine;

/// <summary>
/// Lockstep (<see cref="LiveSettings.Lockstep"/>): the test pumps the paused simulator one market event at a time and
/// awaits the engine's <see cref="LockstepBarrier"/> between steps, as <c>quant live --lockstep</c> does. The strategy's
/// clock, timers and order events then follow the replay, in an order that does not depend on thread timing.
/// </summary>
public sealed class LockstepTests
{
    private const long HalfAnHourAndAnHour = 90 * 60_000;

    /// <summary>Buys 0.12345 on the first live candle (a base-asset fee leaves dust) and arms a 90-minute timer.</summary>
    private sealed class Recorder : IStrategy
    {
        public readonly List<string> Seen = [];
        public readonly List<long> Clock = [];
        public readonly List<decimal> Positions = [];
        public long TimerSetAt;
        private bool _bought;

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            if (context.IsWarmingUp)
            {
                return;
            }

            Seen.Add($"candle {candle.OpenTime}");
            Clock.Add(context.Now);
            Positions.Add(context.Position.Quantity);
            if (!_bought)
            {
                _bought = true;
                context.Submit(OrderRequest.Market(OrderSide.Buy, 0.12345m));
                TimerSetAt = context.Now;
                context.SetTimer("t", TimeSpan.FromMilliseconds(HalfAnHourAndAnHour));
            }
        }

        public void OnTrade(IStrategyContext context, in Trade trade)
        {
            Seen.Add("trade");
            Clock.Add(context.Now);
            Assert.Equal(trade.Time, context.Now); // Now is the replay clock, not the wall clock
        }

        public void OnTimer(IStrategyContext context, in TimerEvent timer)
        {
            Seen.Add($"timer {timer.DueTime}");
            Clock.Add(context.Now);
        }

        public void OnOrderEvent(IStrategyContext context, in OrderEvent e) => Seen.Add($"order {e.Kind}");
    }

    [Fact]
    public async Task The_engine_steps_with_the_replay_clock_and_applies_each_report_before_the_next_event()
    {
        await using var venue = await SimVenue.StartAsync();
        var strategy = new Recorder();
        var observer = new SignalingObserver();
        var barrier = new LockstepBarrier();
        using var stop = new CancellationTokenSource();
        var settings = new LiveSettings
        {
            Endpoints = venue.Endpoints,
            Symbol = "BTCUSDT",
            Interval = "1h",
            IntervalMs = 3_600_000,
            ApiKey = SimVenue.Key,
            RunId = 78,
            FeeAsset = FeeAsset.Received,
            Lockstep = barrier,
        };
        var run = LiveSession.RunAsync(settings, new HmacSigner(SimVenue.Secret), strategy, observer, NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        long events = 0;
        while (!venue.Server.State.Finished)
        {
            events += venue.Server.Step(1);
            await barrier.WhenHandledAsync(events).WaitAsync(TimeSpan.FromSeconds(20));
        }

        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Null(result.Error);

        // Nine live candles (3..11), four prints each but the first candle's open (the replay starts at it, README); the
        // clock never goes back.
        Assert.Equal(9, strategy.Seen.Count(s => s.StartsWith("candle", StringComparison.Ordinal)));
        Assert.Equal(35, strategy.Seen.Count(s => s == "trade"));
        Assert.Equal(strategy.Clock.Order(), strategy.Clock);

        // The fill (touch, on the API connection) is applied before the next market event (on the other connection).
        var first = strategy.Seen.IndexOf(strategy.Seen.First(s => s.StartsWith("candle", StringComparison.Ordinal)));
        Assert.Equal(["order Accepted", "order Filled"], strategy.Seen.Skip(first + 1).Take(2));

        // The timer is due on market time: every 90 minutes of replay after it was set, with Now = its due time.
        var lastEvent = strategy.Clock[^1];
        var expected = Enumerable.Range(1, (int)((lastEvent - strategy.TimerSetAt) / HalfAnHourAndAnHour))
            .Select(k => $"timer {strategy.TimerSetAt + (k * HalfAnHourAndAnHour)}").ToList();
        Assert.Equal(expected, strategy.Seen.Where(s => s.StartsWith("timer", StringComparison.Ordinal)));

        // A base-asset fee leaves dust below a lot: the account holds it, Position (the contract) does not.
        Assert.Equal(0.12332655m, result.FinalPosition.Quantity);
        Assert.All(strategy.Positions.Skip(1), p => Assert.Equal(0.12332m, p));
    }
}
