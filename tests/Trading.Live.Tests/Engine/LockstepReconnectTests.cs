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

/// <summary>Lockstep with connections dropping under it: the pump is never left waiting for events a dead stream lost.</summary>
public sealed class LockstepReconnectTests
{
    /// <summary>Buys on a live candle, sells on the next.</summary>
    private sealed class Flip : IStrategy
    {
        public readonly List<long> Candles = [];

        public void OnStart(IStrategyContext context)
        {
        }

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            if (context.IsWarmingUp)
            {
                return;
            }

            Candles.Add(candle.OpenTime);
            if (context.OpenOrders.Length == 0)
            {
                context.Submit(context.Position.Quantity > 0
                    ? OrderRequest.Market(OrderSide.Sell, context.Position.Quantity)
                    : OrderRequest.Market(OrderSide.Buy, 0.1m));
            }
        }

        public void OnOrderEvent(IStrategyContext context, in OrderEvent e)
        {
        }

        public void OnStop(IStrategyContext context)
        {
        }
    }

    [Fact]
    public async Task Dropped_connections_in_lockstep_reconnect_and_every_candle_still_reaches_the_strategy_once()
    {
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote, Faults = FaultSpec.Parse("seed=2,drop-every=11") });
        var strategy = new Flip();
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
            RunId = 79,
            Lockstep = barrier,
            MarketSilence = null,
            ReconnectInitial = TimeSpan.FromMilliseconds(20),
            ReconnectMax = TimeSpan.FromMilliseconds(100),
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
        Assert.True(venue.Server.Faults.Counts[FaultKind.Drop] >= 4, $"{venue.Server.Faults.Counts[FaultKind.Drop]} drops");
        Assert.Contains(observer.Lines, l => l == "connection market streams connected again");
        // Candles 3..10 closed during the replay (the last one, 11, closes only with the replay's end) — each once, in order.
        var expected = Enumerable.Range(3, 8).Select(i => SimVenue.Candles()[i].OpenTime).ToList();
        Assert.Equal(expected, strategy.Candles.Take(expected.Count));
        Assert.Equal(strategy.Candles.Distinct().Count(), strategy.Candles.Count);
        var truth = JsonDocument.Parse(venue.Server.Truth()).RootElement;
        Assert.Equal(Total(truth, "BTC"), result.FinalPosition.Quantity);
        Assert.Equal(Total(truth, "USDT"), result.FinalCash);
    }

    private static decimal Total(JsonElement truth, string asset) => truth.GetProperty("balances").EnumerateArray()
        .Where(b => b.GetProperty("asset").GetString() == asset)
        .Sum(b => decimal.Parse(b.GetProperty("free").GetString()!, CultureInfo.InvariantCulture) + decimal.Parse(b.GetProperty("locked").GetString()!, CultureInfo.InvariantCulture));
}
