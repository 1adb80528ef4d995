using System.Globalization;
using System.Text.Json;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Engine;
using Trading.Live.Tests.Support;
using Trading.Sim.Faults;

namespace Trading.Live.Tests.Engine;

/// <summary>
/// Connections that drop, stall or carry garbage are routine: the engine reconnects (backoff on loop timers),
/// resubscribes, fills the candles it missed (klines over the WebSocket API, REST while it is down), settles what was in flight by query, and keeps trading.
/// The simulator is stepped by hand (its fault clock is the replay clock); the test steps it only once the engine has
/// come back from every connection the simulator dropped, so no step is lost to a connection being down.
/// </summary>
public sealed class ReconnectTests
{
    /// <summary>Buys on a live candle, sells on the next, again and again: orders in flight whenever a drop comes.</summary>
    private sealed class BuySellRepeatedly : IStrategy
    {
        private readonly Lock _gate = new();
        private readonly List<(long Candle, TaskCompletionSource Done)> _waits = [];
        private long _lastCandle = long.MinValue;
        private long _idleThrough = long.MinValue;

        public void OnStart(IStrategyContext context)
        {
        }

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            if (context.IsWarmingUp)
            {
                return;
            }

            if (context.OpenOrders.Length == 0)
            {
                context.Submit(context.Position.Quantity > 0
                    ? OrderRequest.Market(OrderSide.Sell, context.Position.Quantity)
                    : OrderRequest.Market(OrderSide.Buy, 0.1m));
            }

            lock (_gate)
            {
                _lastCandle = candle.OpenTime;
            }

            CheckIdle(context);
        }

        public void OnOrderEvent(IStrategyContext context, in OrderEvent e) => CheckIdle(context);

        public void OnStop(IStrategyContext context)
        {
        }

        /// <summary>Completes once the strategy has seen the candle opening at <paramref name="candleOpen"/> and nothing it sent is still open.</summary>
        public Task IdleAfter(long candleOpen)
        {
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_idleThrough >= candleOpen)
                {
                    return Task.CompletedTask;
                }

                _waits.Add((candleOpen, tcs));
            }

            return tcs.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }

        private void CheckIdle(IStrategyContext context)
        {
            if (context.OpenOrders.Length != 0)
            {
                return;
            }

            lock (_gate)
            {
                _idleThrough = _lastCandle;
                foreach (var w in _waits.Where(w => w.Candle <= _lastCandle).ToArray())
                {
                    _waits.Remove(w);
                    w.Done.TrySetResult();
                }
            }
        }
    }

    private static LiveSettings Settings(SimVenue venue) => new()
    {
        Endpoints = venue.Endpoints,
        Symbol = "BTCUSDT",
        Interval = "1h",
        IntervalMs = 3_600_000,
        ApiKey = SimVenue.Key,
        RunId = 91,
        MarketSilence = null,
        ReconnectInitial = TimeSpan.FromMilliseconds(20),
        ReconnectMax = TimeSpan.FromMilliseconds(100),
        ReconcileInterval = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public async Task Dropped_connections_are_reconnected_every_closed_candle_reaches_the_strategy_once_and_the_account_matches_the_venue()
    {
        const int first = 3;
        const int last = 10;
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote, Faults = FaultSpec.Parse("seed=3,drop-every=7") });
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        var run = LiveSession.RunAsync(Settings(venue), new HmacSigner(SimVenue.Secret), new BuySellRepeatedly(), observer, NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        for (var i = first; i <= last; i++)
        {
            venue.Server.AdvanceTo(SimVenue.Candles()[i].OpenTime + 3_600_000 - 1);
            await BackUp(venue, observer);
        }

        // A little into the next bucket: a stream that came back after the last close learns which bucket it is in.
        venue.Server.AdvanceTo(SimVenue.Candles()[last + 1].OpenTime + 60_000);
        await BackUp(venue, observer);
        await observer.WaitFor(l => l == $"candle {SimVenue.Candles()[last].OpenTime}");
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(LiveStopReason.Requested, result.Reason);
        Assert.True(venue.Server.Faults.Counts[FaultKind.Drop] >= 4, $"only {venue.Server.Faults.Counts[FaultKind.Drop]} drops");
        Assert.Contains(observer.Lines, l => l == "connection market streams connected again");
        Assert.Contains(observer.Lines, l => l == "connection user data stream subscribed again");
        Assert.True(result.MarketReconnects >= 1 && result.ApiReconnects >= 1, $"{result.MarketReconnects} market, {result.ApiReconnects} API reconnects");

        // Every closed candle once, in order, none skipped.
        var live = observer.Lines.Where(l => l.StartsWith("candle ", StringComparison.Ordinal) && !l.EndsWith("warmup", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(first, last - first + 1).Select(i => $"candle {SimVenue.Candles()[i].OpenTime}"), live);

        // The engine's account is the venue's: no fill lost or booked twice, though reports and answers were cut off.
        var truth = JsonDocument.Parse(venue.Server.Truth()).RootElement;
        Assert.Equal(Total(truth, "BTC"), result.FinalPosition.Quantity);
        Assert.Equal(Total(truth, "USDT"), result.FinalCash);
        Assert.Equal(truth.GetProperty("trades").GetArrayLength(), result.Fills.Count);
        var ids = truth.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("clientOrderId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count()); // nothing sent twice
    }

    [Fact]
    public async Task A_market_stream_that_stays_open_but_silent_is_closed_by_the_watchdog_and_reconnected()
    {
        await using var venue = await SimVenue.StartAsync();
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        // Stepped by hand, the simulator sends nothing until the next step: exactly a silent, open stream.
        var settings = Settings(venue) with { MarketSilence = TimeSpan.FromMilliseconds(300) };
        var run = LiveSession.RunAsync(settings, new HmacSigner(SimVenue.Secret), new BuySellRepeatedly(), observer, NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        await observer.WaitFor(l => l.StartsWith("connection market streams lost (no market data for 0.3 s)", StringComparison.Ordinal));
        await observer.WaitFor(l => l == "connection market streams connected again");
        venue.Server.AdvanceTo(SimVenue.Candles()[3].OpenTime + 3_600_000 - 1);
        await observer.WaitFor(l => l == $"candle {SimVenue.Candles()[3].OpenTime}");
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(LiveStopReason.Requested, result.Reason);
        Assert.DoesNotContain(venue.Server.Faults.Counts, c => c.Value > 0); // no fault injected: the silence alone was enough
        Assert.DoesNotContain(observer.Lines, l => l.StartsWith("connection WebSocket API lost", StringComparison.Ordinal)); // pinged, it answered
    }

    [Fact]
    public async Task Malformed_and_truncated_frames_are_counted_and_skipped_and_a_lost_candle_comes_from_a_gap_fill()
    {
        const int first = 3;
        const int last = 10;
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote, Faults = FaultSpec.Parse("seed=4,malformed=0.15,truncate=0.15") });
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        using var metrics = new LiveMetrics();
        long counted = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "quant.live.bad_frames")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref counted, v));
        listener.Start();
        var log = new RecordingLogger();
        var run = LiveSession.RunAsync(Settings(venue), new HmacSigner(SimVenue.Secret), new BuySellRepeatedly(), observer, log, stop.Token, metrics: metrics);
        await observer.WaitFor(l => l == "connection market streams connected");
        for (var i = first; i <= last; i++)
        {
            venue.Server.AdvanceTo(SimVenue.Candles()[i].OpenTime + 3_600_000 - 1);
        }

        venue.Server.AdvanceTo(SimVenue.Candles()[last + 1].OpenTime + 60_000);
        await observer.WaitFor(l => l == $"candle {SimVenue.Candles()[last].OpenTime}");
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(LiveStopReason.Requested, result.Reason);
        Assert.True(venue.Server.Faults.Counts[FaultKind.Malformed] + venue.Server.Faults.Counts[FaultKind.Truncated] >= 10);
        Assert.True(result.MalformedFrames > 0, "no bad frame reached the engine");
        // Logged once per kind per minute, not once per frame.
        Assert.InRange(log.Lines.Count(l => l.Contains("skipped", StringComparison.Ordinal)), 1, 4);
        Assert.Equal(result.BadFrames, Interlocked.Read(ref counted));
        Assert.True(result.BadFrames >= result.MalformedFrames);
        var live = observer.Lines.Where(l => l.StartsWith("candle ", StringComparison.Ordinal) && !l.EndsWith("warmup", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(first, last - first + 1).Select(i => $"candle {SimVenue.Candles()[i].OpenTime}"), live);
        Assert.True(result.GapCandles > 0, "no candle came from a gap fill (klines over the WebSocket API)");
    }

    [Theory]
    [InlineData("seed=5,lose-report=1")] // every execution report lost: each fill is found by query (myTrades)
    [InlineData("seed=6,lose-ack=0.5,unknown-outcome=0.3")] // answers lost or unknown: settled by order.status, never resent
    [InlineData("seed=7,lifetime=150m")] // the 24-hour disconnect, at replay speed: routine
    [InlineData("seed=8,ratelimit=0.3:300ms,ban=1")] // 429s with a Retry-After; one request inside it and the venue bans
    public async Task Under_wire_faults_the_engine_keeps_trading_and_its_account_matches_the_venue(string faults)
    {
        const int first = 3;
        const int last = 9;
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote, Faults = FaultSpec.Parse(faults) });
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        var settings = Settings(venue) with { RequestTimeout = TimeSpan.FromSeconds(2) };
        var log = new RecordingLogger();
        var strategy = new BuySellRepeatedly();
        var run = LiveSession.RunAsync(settings, new HmacSigner(SimVenue.Secret), strategy, observer, log, stop.Token);
        try
        {
            await observer.WaitFor(l => l == "connection market streams connected");
        }
        catch (TimeoutException)
        {
            Assert.Fail(string.Join('\n', observer.Lines.Concat(log.Lines)));
        }

        for (var i = first; i <= last + 1; i++)
        {
            // Each step closes candle i and opens bucket i + 1: a stream that was down at the close learns from the next
            // step's first kline which candles it missed, so candle i - 1 has reached the strategy by now.
            venue.Server.AdvanceTo(SimVenue.Candles()[i + 1].OpenTime + 60_000);
            await BackUp(venue, observer, closed: true);
            if (i > first)
            {
                // The candle, and the order it caused settled (filled, or refused), before the next step.
                await observer.WaitFor(l => l == $"candle {SimVenue.Candles()[i - 1].OpenTime}");
                try
                {
                    await strategy.IdleAfter(SimVenue.Candles()[i - 1].OpenTime);
                }
                catch (TimeoutException)
                {
                    Assert.Fail(string.Join('\n', observer.Lines.Concat(log.Lines)));
                }
            }
        }

        // The stop waits for every order still settling (market orders until filled, unknown outcomes until queried).
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(LiveStopReason.Requested, result.Reason);
        var injected = venue.Server.Faults.Counts.Where(c => c.Value > 0).Select(c => c.Key).ToList();
        Assert.True(injected.Count > 0, string.Join('\n', observer.Lines.Where(l => !l.StartsWith("candle", StringComparison.Ordinal)).Concat(log.Lines)));
        Assert.DoesNotContain(FaultKind.Ban, injected); // never a 418
        var truth = JsonDocument.Parse(venue.Server.Truth()).RootElement;
        Assert.Equal(Total(truth, "BTC"), result.FinalPosition.Quantity);
        Assert.Equal(Total(truth, "USDT"), result.FinalCash);
        Assert.Equal(truth.GetProperty("trades").GetArrayLength(), result.Fills.Count);
        Assert.Equal(result.Fills.Count, result.Fills.Select(f => f.Fill.TradeId).Distinct().Count());
        var ids = truth.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("clientOrderId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count()); // nothing sent twice
        Assert.True(result.Fills.Count > 0, string.Join('\n', observer.Lines.Where(l => !l.StartsWith("candle", StringComparison.Ordinal)).Concat(log.Lines)));
    }

    [Fact]
    public async Task A_local_clock_that_jumps_is_measured_again_after_the_venue_refuses_a_timestamp()
    {
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote });
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        var clock = new ShiftedClock();
        var run = LiveSession.RunAsync(Settings(venue), new HmacSigner(SimVenue.Secret), new BuySellRepeatedly(), observer, NullStrategyLogger.Instance, stop.Token, time: clock);
        await observer.WaitFor(l => l == "connection market streams connected");
        clock.Shift = TimeSpan.FromSeconds(20); // the machine's clock jumps ahead: signed timestamps are now 20 s early
        venue.Server.AdvanceTo(SimVenue.Candles()[3].OpenTime + 3_600_000 - 1);
        await observer.WaitFor(l => l.StartsWith("order Rejected Buy Market venue: -1021", StringComparison.Ordinal));
        await observer.WaitFor(l => l.StartsWith("connection clock offset to the venue now -", StringComparison.Ordinal));
        venue.Server.AdvanceTo(SimVenue.Candles()[4].OpenTime + 3_600_000 - 1);
        await observer.WaitFor(l => l.StartsWith("order Filled Buy Market", StringComparison.Ordinal));
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(LiveStopReason.Requested, result.Reason);
        Assert.Single(result.Fills);
    }

    /// <summary>The system clock, shifted by a settable amount (a local clock that jumps).</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        private long _shiftTicks;

        public TimeSpan Shift
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref _shiftTicks));
            set => Interlocked.Exchange(ref _shiftTicks, value.Ticks);
        }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;
    }

    /// <summary>Waits until the engine has come back from every connection the simulator dropped so far.</summary>
    private static Task BackUp(SimVenue venue, SignalingObserver observer, bool closed = false)
    {
        var dropped = venue.Server.Faults.Counts.GetValueOrDefault(FaultKind.Drop) + (closed ? venue.Server.Faults.Counts.GetValueOrDefault(FaultKind.Lifetime) : 0);
        return observer.WaitFor(_ =>
        {
            var lines = observer.Lines.ToArray();
            var lost = lines.Count(l => l.StartsWith("connection market streams lost", StringComparison.Ordinal) || l.StartsWith("connection WebSocket API lost", StringComparison.Ordinal));
            var back = lines.Count(l => l == "connection market streams connected again" || l == "connection user data stream subscribed again");
            return lost >= dropped && back >= lost;
        });
    }

    private static decimal Total(JsonElement truth, string asset) => truth.GetProperty("balances").EnumerateArray()
        .Where(b => b.GetProperty("asset").GetString() == asset)
        .Sum(b => decimal.Parse(b.GetProperty("free").GetString()!, CultureInfo.InvariantCulture) + decimal.Parse(b.GetProperty("locked").GetString()!, CultureInfo.InvariantCulture));
}
