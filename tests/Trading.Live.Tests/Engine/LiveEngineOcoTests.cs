using System.Text.Json;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Engine;
using Trading.Live.Risk;
using Trading.Live.Tests.Support;

namespace Trading.Live.Tests.Engine;

/// <summary>
/// Native OCO exits (orderList.place.oco) against the in-process simulator: the list is placed as one request, the venue
/// expires the other leg when one fills, canceling one leg cancels both, and the risk gate checks both legs. The replay
/// (SimVenue.Candles): candle 3 opens at 103 and closes at 104, where the entry fills; candle 4 goes 104 → 103 → 106 → 105.
/// </summary>
public sealed class LiveEngineOcoTests
{
    /// <summary>Buys 1 on the first live candle; on its fill, an OCO sell of 1 (stop, take); cancels the stop leg on
    /// candle 4's close when <see cref="CancelStopLater"/>.</summary>
    private sealed class BuyThenOco(decimal stop, decimal take) : IStrategy
    {
        public readonly List<string> Seen = [];
        public OcoOrderIds Oco;
        public bool CancelStopLater;
        private int _live;

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            if (context.IsWarmingUp)
            {
                return;
            }

            _live++;
            if (_live == 1)
            {
                context.Submit(OrderRequest.Market(OrderSide.Buy, 1m, "entry"));
            }
            else if (_live == 2 && CancelStopLater)
            {
                Seen.Add($"cancel stop: {context.Cancel(Oco.StopLoss)}");
            }
        }

        public void OnOrderEvent(IStrategyContext context, in OrderEvent e)
        {
            Seen.Add($"{e.Kind} {e.Order.Tag}{(e.Kind == OrderEventKind.Filled ? " @" + e.Fill.Price : "")}{(e.Reason is null ? "" : ": " + e.Reason)}");
            if (e.Kind == OrderEventKind.Filled && e.Order.Tag == "entry")
            {
                Oco = context.SubmitOco(OrderRequest.StopMarket(OrderSide.Sell, 1m, stop, "stop"), OrderRequest.Limit(OrderSide.Sell, 1m, take, tag: "take"));
            }
        }
    }

    private static LiveSettings Settings(SimVenue venue, RiskLimits? risk = null) => new()
    {
        Endpoints = venue.Endpoints,
        Symbol = "BTCUSDT",
        Interval = "1h",
        IntervalMs = 3_600_000,
        ApiKey = SimVenue.Key,
        Risk = risk ?? RiskLimits.None,
        FeeAsset = FeeAsset.Quote,
        RunId = 78,
    };

    [Theory]
    [InlineData(100, 106, "take", 106, "stop")]
    [InlineData(103.5, 110, "stop", 103, "take")]
    public async Task The_leg_the_market_reaches_fills_and_the_venue_expires_the_other(double stopPrice, double takePrice, string fills, double at, string expires)
    {
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote });
        var strategy = new BuyThenOco((decimal)stopPrice, (decimal)takePrice);
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        var run = LiveSession.RunAsync(Settings(venue), new HmacSigner(SimVenue.Secret), strategy, observer, NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        await CloseCandle(venue, observer, 3);
        await observer.WaitFor(l => l == "order Accepted Sell Limit");
        await CloseCandle(venue, observer, 4);
        // Both legs' ends, in whichever order their reports come: a stop after the expiry alone could reach the loop
        // before the fill's report, which the strategy, stopped by then, would not see.
        await observer.WaitFor(l => l.StartsWith("order Expired Sell", StringComparison.Ordinal));
        await observer.WaitFor(l => l.StartsWith("order Filled Sell", StringComparison.Ordinal));
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Contains($"Filled {fills} @{(decimal)at:0.00000000}", strategy.Seen);
        Assert.Contains($"Expired {expires}", strategy.Seen);
        Assert.Equal(0m, result.FinalPosition.Quantity);
        Assert.Equal((3, 0), (result.OrdersSent, result.OpenOrdersLeft)); // the entry and the two legs, sent as one list
        using var truth = JsonDocument.Parse(venue.Server.Truth());
        var orders = truth.RootElement.GetProperty("orders").EnumerateArray().ToList();
        Assert.Equal(3, orders.Count);
        Assert.Equal(2, orders.Count(o => o.GetProperty("orderListId").GetInt64() >= 0)); // one native order list of two
    }

    [Fact]
    public async Task Canceling_one_leg_cancels_both()
    {
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote });
        var strategy = new BuyThenOco(90m, 120m) { CancelStopLater = true };
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        var run = LiveSession.RunAsync(Settings(venue), new HmacSigner(SimVenue.Secret), strategy, observer, NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        await CloseCandle(venue, observer, 3);
        await observer.WaitFor(l => l == "order Accepted Sell Limit");
        await CloseCandle(venue, observer, 4);
        await observer.WaitFor(l => l == "order Canceled Sell Limit");
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Contains("cancel stop: True", strategy.Seen);
        Assert.Contains("Canceled stop", strategy.Seen);
        Assert.Contains("Canceled take", strategy.Seen); // the venue canceled the list
        Assert.Equal(1m, result.FinalPosition.Quantity);
        Assert.Equal(0, result.OpenOrdersLeft);
    }

    [Fact]
    public async Task The_risk_gate_checks_both_legs_and_a_refused_leg_refuses_the_pair()
    {
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote });
        // The stop 100 is 3.8 % from the last price 104, the take 106 only 1.9 %: a 3 % band refuses the stop leg.
        var strategy = new BuyThenOco(100m, 106m);
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        var run = LiveSession.RunAsync(Settings(venue, new RiskLimits { PriceBandBps = 300 }), new HmacSigner(SimVenue.Secret), strategy, observer,
            NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        await CloseCandle(venue, observer, 3);
        await observer.WaitFor(l => l.StartsWith("order Rejected Sell Limit", StringComparison.Ordinal));
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, result.OrdersSent); // the entry only: no list left
        Assert.Contains(strategy.Seen, l => l.StartsWith("Rejected stop: risk: ", StringComparison.Ordinal));
        Assert.Contains(strategy.Seen, l => l.StartsWith("Rejected take: risk: ", StringComparison.Ordinal));
        Assert.Contains(observer.Lines, l => l.StartsWith("risk PriceBand", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_list_the_venue_refuses_rejects_both_legs_with_its_reason()
    {
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote });
        // A sell stop above the market (104) does not bracket it: the venue refuses the list (the engine does not check it).
        var strategy = new BuyThenOco(110m, 120m);
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        var run = LiveSession.RunAsync(Settings(venue), new HmacSigner(SimVenue.Secret), strategy, observer, NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        await CloseCandle(venue, observer, 3);
        await observer.WaitFor(l => l.StartsWith("order Rejected Sell Limit", StringComparison.Ordinal));
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(3, result.OrdersSent); // the list left (both legs), the venue said no
        Assert.Equal(2, strategy.Seen.Count(l => l.StartsWith("Rejected", StringComparison.Ordinal) && l.Contains(": venue: -", StringComparison.Ordinal)));
        Assert.Equal((0, 1m), (result.OpenOrdersLeft, result.FinalPosition.Quantity));
    }

    [Fact]
    public async Task Legs_of_different_quantities_are_refused_before_anything_leaves()
    {
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote });
        var strategy = new UnevenOco();
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        var run = LiveSession.RunAsync(Settings(venue), new HmacSigner(SimVenue.Secret), strategy, observer, NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        await CloseCandle(venue, observer, 3);
        await observer.WaitFor(l => l.StartsWith("order Rejected Sell Limit", StringComparison.Ordinal));
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, result.OrdersSent);
        Assert.Contains(observer.Lines, l => l.Contains("oco: both legs must have the same base quantity", StringComparison.Ordinal));
    }

    private sealed class UnevenOco : IStrategy
    {
        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            if (!context.IsWarmingUp && context.OpenOrders.IsEmpty)
            {
                context.SubmitOco(OrderRequest.StopMarket(OrderSide.Sell, 1m, 90m), OrderRequest.Limit(OrderSide.Sell, 2m, 120m));
            }
        }
    }

    private static Task CloseCandle(SimVenue venue, SignalingObserver observer, int index)
    {
        var open = SimVenue.Candles()[index].OpenTime;
        venue.Server.AdvanceTo(open + 3_600_000 - 1);
        return observer.WaitFor(l => l == $"candle {open}");
    }
}
