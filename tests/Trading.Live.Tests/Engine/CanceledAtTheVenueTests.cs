using System.Globalization;
using System.Text.Json;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Engine;
using Trading.Live.Journal;
using Trading.Live.Orders;
using Trading.Live.Tests.Journal;
using Trading.Live.Tests.Support;
using Trading.Sim.Faults;

namespace Trading.Live.Tests.Engine;

/// <summary>
/// An order canceled at the venue behind the engine's back (another client, the web page) while every execution report
/// is lost: the periodic check's order.status finds it canceled and the engine ends it so. The venue's answer then
/// carries the cancel's generated <c>clientOrderId</c>, not this run's (Binance replaces a canceled order's client id
/// with the cancel's <c>newClientOrderId</c>), so an answer matched by that id was dropped as foreign and the order stayed
/// working here for good — the soak's PendingCancel orders. The simulator is stepped by hand.
/// </summary>
public sealed class CanceledAtTheVenueTests
{
    [Fact]
    public async Task An_order_canceled_elsewhere_whose_report_was_lost_ends_canceled_when_the_check_finds_it()
    {
        await using var venue = await SimVenue.StartAsync(o => o with { Faults = FaultSpec.Parse("lose-report=1") });
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        // The periodic check is what finds it.
        var settings = Settings(venue, 93, journal: null, keep: false) with { ReconcileInterval = TimeSpan.FromMilliseconds(200) };
        var run = LiveSession.RunAsync(settings, new HmacSigner(SimVenue.Secret), new RestingLimitBuy(cancelOnAccept: false), observer, NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        venue.Server.AdvanceTo(SimVenue.Candles()[3].OpenTime + 3_600_000 - 1);
        await observer.WaitFor(l => l.StartsWith("order Accepted Buy Limit", StringComparison.Ordinal));

        var newId = await CancelElsewhere(venue, 1);

        await observer.WaitFor(l => l.StartsWith("order Canceled Buy Limit", StringComparison.Ordinal));
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(venue.Server.Faults.Counts[FaultKind.LoseReport] >= 1); // the CANCELED report never arrived
        Assert.Equal(0, result.OpenOrdersLeft);
        var order = JsonDocument.Parse(venue.Server.Truth()).RootElement.GetProperty("orders")[0];
        Assert.Equal(("CANCELED", newId), (order.GetProperty("status").GetString(), order.GetProperty("clientOrderId").GetString()));
        Assert.Equal(0m, decimal.Parse(order.GetProperty("executedQty").GetString()!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_restart_settles_a_journalled_order_canceled_elsewhere_meanwhile_as_canceled()
    {
        using var files = new JournalFiles();
        await using var venue = await SimVenue.StartAsync();

        // Run 1 leaves the order working on the venue (--keep-orders) and New in the journal.
        var first = new SignalingObserver();
        using (var stop = new CancellationTokenSource())
        {
            var run = LiveSession.RunAsync(Settings(venue, 94, files.Journal, keep: true), new HmacSigner(SimVenue.Secret), new RestingLimitBuy(cancelOnAccept: false), first,
                NullStrategyLogger.Instance, stop.Token);
            await first.WaitFor(l => l == "connection market streams connected");
            venue.Server.AdvanceTo(SimVenue.Candles()[3].OpenTime + 3_600_000 - 1);
            await first.WaitFor(l => l.StartsWith("order Accepted Buy Limit", StringComparison.Ordinal));
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(20));
        }

        var journalled = Assert.Single(JournalReader.Load(files.Journal).Orders);
        Assert.Equal(LiveOrderState.New, journalled.State);
        await CancelElsewhere(venue, 1); // while nothing runs: the next start learns of it only by asking

        var second = new SignalingObserver();
        LiveRunResult result;
        using (var stop = new CancellationTokenSource())
        {
            var run = LiveSession.RunAsync(Settings(venue, 94, files.Journal, keep: false), new HmacSigner(SimVenue.Secret), new RestingLimitBuy(cancelOnAccept: false), second,
                NullStrategyLogger.Instance, stop.Token);
            await second.WaitFor(l => l == "connection market streams connected");
            await stop.CancelAsync();
            result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        }

        Assert.NotNull(result.Reconciliation);
        Assert.True(result.Reconciliation.IsComplete, string.Join('\n', second.Lines));
        Assert.Contains(second.Lines, l => l.StartsWith("connection reconciliation: 1 journalled orders checked, 1 settled, 0 unknown at the venue", StringComparison.Ordinal));
        Assert.Equal(LiveOrderState.Canceled, JournalReader.Load(files.Journal).Orders.Single(o => o.ClientOrderId == journalled.ClientOrderId).State);
    }

    private static LiveSettings Settings(SimVenue venue, long runId, string? journal, bool keep) => new()
    {
        Endpoints = venue.Endpoints,
        Symbol = "BTCUSDT",
        Interval = "1h",
        IntervalMs = 3_600_000,
        ApiKey = SimVenue.Key,
        RunId = runId,
        KeepOrders = keep,
        JournalPath = journal,
        MarketSilence = null,
    };

    /// <summary>Another client cancels venue order <paramref name="orderId"/> over REST, naming no new client id: the
    /// venue generates one and the order carries it from then on. Returns it.</summary>
    private static async Task<string> CancelElsewhere(SimVenue venue, long orderId)
    {
        using var http = new HttpClient();
        var query = $"symbol=BTCUSDT&orderId={orderId}&timestamp={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
        using var cancel = new HttpRequestMessage(HttpMethod.Delete,
            new Uri(venue.Server.RestUrl, $"/api/v3/order?{query}&signature={new HmacSigner(SimVenue.Secret).Sign(query)}"));
        cancel.Headers.Add("X-MBX-APIKEY", SimVenue.Key);
        using var canceled = await http.SendAsync(cancel);
        var body = await canceled.Content.ReadAsStringAsync();
        Assert.True(canceled.IsSuccessStatusCode, body);
        var newId = JsonDocument.Parse(body).RootElement.GetProperty("clientOrderId").GetString()!;
        Assert.StartsWith("sim-", newId, StringComparison.Ordinal);
        return newId;
    }
}
