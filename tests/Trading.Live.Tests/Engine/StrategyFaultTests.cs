using System.Text.Json;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Engine;
using Trading.Live.Tests.Support;

namespace Trading.Live.Tests.Engine;

/// <summary>
/// A strategy that throws from a callback: one error line naming the strategy and the callback, the strategy never
/// called again (not even OnStop), its open orders canceled unless kept, both connections closed, and the run ends with
/// <see cref="LiveStopReason.StrategyFailed"/>.
/// </summary>
public sealed class StrategyFaultTests
{
    /// <summary>On the first live candle: a far limit buy, then (in OnCandle or in the order's Accepted event) a throw.</summary>
    private sealed class Thrower(bool inOrderEvent) : IStrategy
    {
        public readonly List<string> Seen = [];

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            Seen.Add("candle");
            if (context.IsWarmingUp || Seen.Count(s => s == "limit") > 0)
            {
                return;
            }

            Seen.Add("limit");
            context.Submit(OrderRequest.Limit(OrderSide.Buy, 0.1m, 50m));
            if (!inOrderEvent)
            {
                throw new InvalidOperationException("boom in a candle");
            }
        }

        public void OnOrderEvent(IStrategyContext context, in OrderEvent e)
        {
            Seen.Add(e.Kind.ToString());
            if (inOrderEvent && e.Kind == OrderEventKind.Accepted)
            {
                throw new ArgumentException("boom in an order event");
            }
        }

        public void OnStop(IStrategyContext context) => Seen.Add("stop");
    }

    private sealed class RecordingLog : IStrategyLogger
    {
        public readonly System.Collections.Concurrent.ConcurrentQueue<string> Lines = new();

        public bool IsEnabled(StrategyLogLevel level) => true;

        public void Log(StrategyLogLevel level, string message) => Lines.Enqueue($"{level} {message}");
    }

    [Theory]
    [InlineData(false, false, "OnCandle: InvalidOperationException: boom in a candle")]
    [InlineData(true, false, "OnOrderEvent: ArgumentException: boom in an order event")]
    [InlineData(false, true, "OnCandle: InvalidOperationException: boom in a candle")]
    public async Task The_run_stops_cancels_what_is_open_and_closes_the_connections(bool inOrderEvent, bool keepOrders, string what)
    {
        await using var venue = await SimVenue.StartAsync();
        var strategy = new Thrower(inOrderEvent);
        var observer = new SignalingObserver();
        var log = new RecordingLog();
        var settings = new LiveSettings
        {
            Endpoints = venue.Endpoints,
            Symbol = "BTCUSDT",
            Interval = "1h",
            IntervalMs = 3_600_000,
            ApiKey = SimVenue.Key,
            RunId = 79,
            StrategyName = "thrower",
            KeepOrders = keepOrders,
        };
        var run = LiveSession.RunAsync(settings, new HmacSigner(SimVenue.Secret), strategy, observer, log, CancellationToken.None);
        await observer.WaitFor(l => l == "connection market streams connected");
        var open = SimVenue.Candles()[3].OpenTime;
        venue.Server.AdvanceTo(open + 3_600_000 - 1);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20)); // ends by itself: no stop was asked

        Assert.Equal(LiveStopReason.StrategyFailed, result.Reason);
        Assert.Equal("strategy thrower threw in " + what, result.Error);
        Assert.Contains("Error strategy thrower threw in " + what, log.Lines);
        Assert.DoesNotContain("stop", strategy.Seen); // never called again, OnStop included
        Assert.Equal(1, strategy.Seen.Count(s => s == "candle") - 3); // the three warm-up candles, then the one that threw
        Assert.Contains(observer.Lines, l => l.StartsWith("connection stopped: StrategyFailed", StringComparison.Ordinal));
        using var truth = JsonDocument.Parse(venue.Server.Truth());
        var status = truth.RootElement.GetProperty("orders").EnumerateArray().Single().GetProperty("status").GetString();
        Assert.Equal(keepOrders ? "NEW" : "CANCELED", status);
        Assert.Equal(keepOrders ? 1 : 0, result.OpenOrdersLeft);
        // Both connections (market streams, WebSocket API) ended: the run's Close, not an abandoned socket.
        Assert.True(venue.Server.ClosedConnections >= 2 || await ClosedSoon(venue), $"{venue.Server.ClosedConnections} connections closed");
    }

    /// <summary>The server counts a connection closed once its pump finished, a moment after the client's close frame.</summary>
    private static async Task<bool> ClosedSoon(SimVenue venue)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (venue.Server.ClosedConnections >= 2)
            {
                closed.TrySetResult();
            }
        }

        venue.Server.ConnectionClosed += Check;
        Check();
        try
        {
            await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return true;
        }
        finally
        {
            venue.Server.ConnectionClosed -= Check;
        }
    }
}
