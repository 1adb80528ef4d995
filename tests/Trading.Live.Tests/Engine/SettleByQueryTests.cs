using System.Globalization;
using System.Text.Json;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Engine;
using Trading.Live.Tests.Support;
using Trading.Sim.Faults;

namespace Trading.Live.Tests.Engine;

/// <summary>
/// Orders whose execution reports a fault lost are settled by query, never left in doubt: a cancel that lost its race
/// with a fill (the venue filled the order and answered −2011) while every execution report is lost ends Filled, its
/// fill fetched with myTrades, and the account equals the venue's. The simulator is stepped by hand.
/// </summary>
public sealed class SettleByQueryTests
{
    private static LiveSettings Settings(SimVenue venue) => new()
    {
        Endpoints = venue.Endpoints,
        Symbol = "BTCUSDT",
        Interval = "1h",
        IntervalMs = 3_600_000,
        ApiKey = SimVenue.Key,
        RunId = 92,
        MarketSilence = null,
        ReconcileInterval = null, // no periodic check: only the settlement under test can find the fill
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cancel_that_lost_the_race_to_a_fill_whose_reports_were_lost_ends_filled(bool stopAtOnce)
    {
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote, Faults = FaultSpec.Parse("cancel-race=1,lose-report=1") });
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        var run = LiveSession.RunAsync(Settings(venue), new HmacSigner(SimVenue.Secret), new RestingLimitBuy(cancelOnAccept: true), observer, NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        venue.Server.AdvanceTo(SimVenue.Candles()[3].OpenTime + 3_600_000 - 1);
        if (stopAtOnce)
        {
            // The stop comes as the order is accepted: it must wait (bounded) until the query has settled it.
            await observer.WaitFor(l => l.StartsWith("order Accepted", StringComparison.Ordinal));
        }
        else
        {
            await observer.WaitFor(l => l.StartsWith("order Filled Buy Limit 0.1", StringComparison.Ordinal));
        }

        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(LiveStopReason.Requested, result.Reason);
        Assert.True(venue.Server.Faults.Counts[FaultKind.CancelRace] == 1 && venue.Server.Faults.Counts[FaultKind.LoseReport] >= 1);
        Assert.Contains(observer.Lines, l => l.StartsWith("order Filled Buy Limit 0.1", StringComparison.Ordinal));
        Assert.DoesNotContain(observer.Lines, l => l.StartsWith("order Canceled", StringComparison.Ordinal));
        Assert.Equal(0, result.OpenOrdersLeft);
        var truth = JsonDocument.Parse(venue.Server.Truth()).RootElement;
        Assert.Equal("FILLED", truth.GetProperty("orders")[0].GetProperty("status").GetString());
        Assert.Equal(Total(truth, "BTC"), result.FinalPosition.Quantity);
        Assert.Equal(Total(truth, "USDT"), result.FinalCash);
        Assert.Single(result.Fills);
    }

    private static decimal Total(JsonElement truth, string asset) => truth.GetProperty("balances").EnumerateArray()
        .Where(b => b.GetProperty("asset").GetString() == asset)
        .Sum(b => decimal.Parse(b.GetProperty("free").GetString()!, CultureInfo.InvariantCulture) + decimal.Parse(b.GetProperty("locked").GetString()!, CultureInfo.InvariantCulture));
}
