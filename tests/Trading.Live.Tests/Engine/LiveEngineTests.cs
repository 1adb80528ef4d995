using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Engine;
using Trading.Live.Risk;
using Trading.Live.Tests.Support;

namespace Trading.Live.Tests.Engine;

/// <summary>The whole engine against the in-process simulator: warm-up, live candles, orders, fills, risk, graceful stop.</summary>
public sealed class LiveEngineTests
{
    /// <summary>On live candles: buys 0.1, then sells it; keeps a far limit order working to be canceled at the stop.</summary>
    private sealed class BuySell : IStrategy
    {
        public readonly List<string> Seen = [];
        public int WarmupCandles;
        private bool _bought;
        private bool _sold;

        public void OnStart(IStrategyContext context) => Seen.Add("start");

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            if (context.IsWarmingUp)
            {
                // Orders submitted during warm-up are refused (contract v2, as in the backtest), with a rejection event.
                WarmupCandles++;
                context.Submit(OrderRequest.Market(OrderSide.Buy, 1m));
                return;
            }

            if (!_bought)
            {
                _bought = true;
                context.Submit(OrderRequest.Market(OrderSide.Buy, 0.1m));
                context.Submit(OrderRequest.Limit(OrderSide.Buy, 0.1m, 50m));
            }
            else if (!_sold && context.Position.Quantity > 0)
            {
                _sold = true;
                context.Submit(OrderRequest.Market(OrderSide.Sell, context.Position.Quantity));
            }
        }

        public void OnOrderEvent(IStrategyContext context, in OrderEvent e) =>
            Seen.Add(e.Reason?.StartsWith("warming up", StringComparison.Ordinal) == true ? "refused while warming up" : $"{e.Kind} {e.Order.Side}");

        public void OnStop(IStrategyContext context) => Seen.Add("stop");
    }

    private static LiveSettings Settings(SimVenue venue, RiskLimits? risk = null) => new()
    {
        Endpoints = venue.Endpoints,
        Symbol = "BTCUSDT",
        Interval = "1h",
        IntervalMs = 3_600_000,
        ApiKey = SimVenue.Key,
        Risk = risk ?? RiskLimits.None,
        RunId = 77,
    };

    [Fact]
    public async Task Trades_against_the_simulator_and_stops_gracefully()
    {
        // Fees in the quote asset, so that cash and fees add up in one currency below; the next test takes Binance's rule.
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote });
        var strategy = new BuySell();
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        using var metrics = new LiveMetrics();
        var measured = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => measured.AddOrUpdate(i.Name, v, (_, old) => old + v));
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => measured.AddOrUpdate(i.Name + ".count", 1, (_, old) => old + 1));
        listener.Start();
        var run = LiveSession.RunAsync(Settings(venue) with { FeeAsset = FeeAsset.Quote }, new HmacSigner(SimVenue.Secret), strategy, observer, NullStrategyLogger.Instance, stop.Token, metrics: metrics);
        await observer.WaitFor(l => l == "connection market streams connected");
        // Candle by candle, each step gated on what the engine reported (no lockstep yet, so the test paces the replay).
        await CloseCandle(venue, observer, 3);
        await observer.WaitFor(l => l.StartsWith("order Filled Buy Market", StringComparison.Ordinal));
        await CloseCandle(venue, observer, 4);
        await observer.WaitFor(l => l.StartsWith("order Filled Sell", StringComparison.Ordinal));
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(LiveStopReason.Requested, result.Reason);
        Assert.Null(result.Error);
        Assert.Equal(3, strategy.WarmupCandles); // the history before the replay: candles 0..2 (the forming candle 3 is dropped)
        string[] warmup = ["refused while warming up", "refused while warming up", "refused while warming up"];
        Assert.Equal(["start", .. warmup, "Accepted Buy", "Filled Buy", "Accepted Buy", "Accepted Sell", "Filled Sell", "stop"], strategy.Seen);
        Assert.Equal(2, result.Fills.Count);
        Assert.Equal(0m, result.FinalPosition.Quantity);
        Assert.Equal(0, result.OpenOrdersLeft); // the far limit order was canceled at the stop
        Assert.Contains(observer.Lines, l => l.StartsWith("order Canceled Buy Limit", StringComparison.Ordinal));
        var fees = result.Fills.Sum(f => f.Commission);
        Assert.Equal(result.FeesPaid, fees);
        var buy = result.Fills[0].Fill;
        var sell = result.Fills[1].Fill;
        Assert.Equal(10_000m - (buy.Price * 0.1m) + (sell.Price * 0.1m) - fees, result.FinalCash);
        Assert.Equal(0.1m * buy.Price * 0.001m, result.Fills[0].Commission);
        Assert.Equal(3, result.OrdersSent);

        // The instruments counted what the result says (recorded on the loop thread, read after the run).
        Assert.Equal(3, measured["quant.live.orders_sent"]);
        Assert.Equal(2, measured["quant.live.fills"]);
        Assert.Equal(result.MarketMessages, measured["quant.live.messages_in"]);
        Assert.Equal(3, measured["quant.live.tick_to_order.count"]); // every order here was sent from a market callback
        Assert.False(measured.ContainsKey("quant.live.risk_trips"));
    }

    [Theory]
    [InlineData("seed=3,dup-exec=1")]
    [InlineData("seed=3,reorder-exec=1")]
    public async Task Duplicated_or_reordered_execution_reports_from_the_venue_book_each_fill_once(string faults)
    {
        await using var venue = await SimVenue.StartAsync(o => o with { Faults = Trading.Sim.Faults.FaultSpec.Parse(faults) });
        var strategy = new BuySell();
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        var run = LiveSession.RunAsync(Settings(venue), new HmacSigner(SimVenue.Secret), strategy, observer, NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        await CloseCandle(venue, observer, 3);
        await observer.WaitFor(l => l.StartsWith("order Filled Buy Market", StringComparison.Ordinal));
        await CloseCandle(venue, observer, 4);
        await observer.WaitFor(l => l.StartsWith("order Filled Sell", StringComparison.Ordinal));
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, result.Fills.Count);
        Assert.Equal(2, observer.Lines.Count(l => l.StartsWith("order Filled", StringComparison.Ordinal)));
        Assert.Equal(0m, result.FinalPosition.Quantity);
        Assert.Equal(0, result.OpenOrdersLeft);
    }

    [Fact]
    public async Task Risk_rejections_reach_the_strategy_and_nothing_is_sent()
    {
        await using var venue = await SimVenue.StartAsync();
        var strategy = new BuySell();
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        var run = LiveSession.RunAsync(Settings(venue, new RiskLimits { MaxOrderNotional = 1m }), new HmacSigner(SimVenue.Secret), strategy, observer,
            NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        await CloseCandle(venue, observer, 3);
        await observer.WaitFor(l => l.StartsWith("order Rejected Buy Limit", StringComparison.Ordinal));
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, result.OrdersSent);
        Assert.Equal(3 + 2, result.OrdersRejected); // three refused while warming up, two by the risk gate
        Assert.Contains(observer.Lines, l => l.StartsWith("risk MaxOrderNotional order notional", StringComparison.Ordinal));
        Assert.Contains("Rejected Buy", strategy.Seen);
    }

    [Fact]
    public async Task The_daily_loss_trips_the_kill_switch_which_cancels_stops_and_flattens()
    {
        await using var venue = await SimVenue.StartAsync();
        var strategy = new BuySell();
        var observer = new SignalingObserver();
        var risk = new RiskLimits { MaxDailyLoss = 0.05m, FlattenOnKill = true };
        var run = LiveSession.RunAsync(Settings(venue, risk), new HmacSigner(SimVenue.Secret), strategy, observer, NullStrategyLogger.Instance, CancellationToken.None);
        await observer.WaitFor(l => l == "connection market streams connected");
        await CloseCandle(venue, observer, 3);
        await observer.WaitFor(l => l.StartsWith("order Filled Buy Market", StringComparison.Ordinal));
        // Candle 4 opens at 104 and trades down to its low of 103: 0.1 × the drop is beyond the 0.05 allowed.
        var tripped = observer.WaitFor(l => l.StartsWith("risk KillSwitch tripped daily loss", StringComparison.Ordinal));
        venue.Server.AdvanceTo(SimVenue.Candles()[4].OpenTime + 3_600_000 - 2);
        await tripped;
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(LiveStopReason.KillSwitch, result.Reason);
        Assert.Equal("stop", strategy.Seen[^1]);
        Assert.DoesNotContain("Accepted Sell", strategy.Seen); // the strategy was stopped before the flattening order
        Assert.Contains(observer.Lines, l => l.StartsWith("order Canceled Buy Limit", StringComparison.Ordinal));
        Assert.True(observer.Lines.Any(l => l.StartsWith("order Filled Sell Market", StringComparison.Ordinal)), string.Join("\n", observer.Lines.Where(l => !l.StartsWith("candle", StringComparison.Ordinal))));
        Assert.Equal(0m, result.FinalPosition.Quantity);
        Assert.Equal(0, result.OpenOrdersLeft);
        Assert.Equal("kill-switch flatten", result.Fills[^1].Tag);
    }

    private sealed class Ticker : IStrategy
    {
        public readonly TaskCompletionSource<List<(long Due, long Now, long Interval)>> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(long, long, long)> _fired = [];
        private bool _armed;

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            if (!context.IsWarmingUp && !_armed)
            {
                _armed = true;
                context.SetTimer("tick", TimeSpan.FromMilliseconds(5));
                context.SetAlarm("never", long.MaxValue / 2);
            }
        }

        public void OnTimer(IStrategyContext context, in TimerEvent timer)
        {
            _fired.Add((timer.DueTime, context.Now, timer.IntervalMs));
            if (_fired.Count == 3)
            {
                Assert.True(context.CancelTimer("tick"));
                Assert.True(context.CancelTimer("never"));
                Assert.False(context.CancelTimer("tick"));
                Done.TrySetResult([.. _fired]);
            }
        }
    }

    [Fact]
    public async Task Strategy_timers_fire_on_the_loop_in_phase_with_Now_at_their_due_time_and_cancel()
    {
        await using var venue = await SimVenue.StartAsync();
        var strategy = new Ticker();
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        var run = LiveSession.RunAsync(Settings(venue), new HmacSigner(SimVenue.Secret), strategy, observer, NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        await CloseCandle(venue, observer, 3);
        var fired = await strategy.Done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(20));
        var close = SimVenue.Candles()[3].OpenTime + 3_600_000;
        // Set during OnCandle (Now = the candle's close, market time): due every 5 ms on that clock, Now = the due time.
        Assert.Equal([(close + 5, close + 5, 5L), (close + 10, close + 10, 5L), (close + 15, close + 15, 5L)], fired);
    }

    /// <summary>Replays candle <paramref name="index"/> to its close and waits until the engine has handed it to the strategy.</summary>
    private static Task CloseCandle(SimVenue venue, SignalingObserver observer, int index)
    {
        var open = SimVenue.Candles()[index].OpenTime;
        venue.Server.AdvanceTo(open + 3_600_000 - 1);
        return observer.WaitFor(l => l == $"candle {open}");
    }

    [Fact]
    public async Task An_unreachable_venue_is_one_clear_error()
    {
        var settings = new LiveSettings
        {
            Endpoints = BinanceEndpoints.Local(new Uri("http://127.0.0.1:1")),
            Symbol = "BTCUSDT",
            Interval = "1h",
            IntervalMs = 3_600_000,
            ApiKey = "k",
        };
        var e = await Assert.ThrowsAsync<LiveVenueException>(() => LiveSession.RunAsync(settings, new HmacSigner("s"), new BuySell(),
            new SignalingObserver(), NullStrategyLogger.Instance, CancellationToken.None));
        Assert.Contains("127.0.0.1:1", e.Message, StringComparison.Ordinal);
    }
}
