using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Engine;
using Trading.Live.Journal;
using Trading.Live.Orders;
using Trading.Live.Reconcile;
using Trading.Live.Tests.Journal;
using Trading.Live.Tests.Support;

namespace Trading.Live.Tests.Engine;

/// <summary>
/// Restart reconciliation against the in-process simulator: a run leaves a filled market order and a working limit
/// order; the journal then loses its tail (as a crash after the last commit would: the fill, the ack, the limit order's
/// intent), and a second run on the same journal must settle it from the venue before the strategy sees any data.
/// </summary>
public sealed class RestartReconcileTests
{
    /// <summary>First live candle: a market buy and a far limit buy (left working: --keep-orders).</summary>
    private sealed class BuyAndRest : IStrategy
    {
        private bool _done;

        public void OnStart(IStrategyContext context)
        {
        }

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            if (context.IsWarmingUp || _done)
            {
                return;
            }

            _done = true;
            context.Submit(OrderRequest.Market(OrderSide.Buy, 0.1m));
            context.Submit(OrderRequest.Limit(OrderSide.Buy, 0.1m, 50m));
        }

        public void OnOrderEvent(IStrategyContext context, in OrderEvent e)
        {
        }

        public void OnStop(IStrategyContext context)
        {
        }
    }

    /// <summary>Records what it is started with; on its first live candle sells what it holds.</summary>
    private sealed class SellOnRestart : IStrategy
    {
        public decimal StartPosition = -1;
        public decimal StartCash = -1;
        public int StartOpenOrders = -1;
        public int CandlesBeforeStart;
        private bool _started;
        private bool _sold;

        public void OnStart(IStrategyContext context)
        {
            _started = true;
            StartPosition = context.Position.Quantity;
            StartCash = context.Cash;
            StartOpenOrders = context.OpenOrders.Length;
        }

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            if (!_started)
            {
                CandlesBeforeStart++;
            }

            if (context.IsWarmingUp || _sold || context.Position.Quantity <= 0)
            {
                return;
            }

            _sold = true;
            context.Submit(OrderRequest.Market(OrderSide.Sell, context.Position.Quantity));
        }

        public void OnOrderEvent(IStrategyContext context, in OrderEvent e)
        {
        }

        public void OnStop(IStrategyContext context)
        {
        }
    }

    private static LiveSettings Settings(SimVenue venue, string journal, bool keep, UnknownOrderPolicy unknown) => new()
    {
        Endpoints = venue.Endpoints,
        Symbol = "BTCUSDT",
        Interval = "1h",
        IntervalMs = 3_600_000,
        ApiKey = SimVenue.Key,
        KeepOrders = keep,
        JournalPath = journal,
        UnknownOrders = unknown,
        MarketSilence = null, // the simulator is stepped by hand: silent between steps
    };

    [Theory]
    [InlineData(UnknownOrderPolicy.Cancel)]
    [InlineData(UnknownOrderPolicy.Adopt)]
    public async Task A_restart_on_a_journal_that_lost_its_tail_settles_it_from_the_venue_and_starts_from_the_venues_balances(UnknownOrderPolicy policy)
    {
        using var files = new JournalFiles();
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote });

        // Run 1: a filled market buy and a working limit buy, kept on the venue at the stop.
        var first = new SignalingObserver();
        using (var stop = new CancellationTokenSource())
        {
            var run = LiveSession.RunAsync(Settings(venue, files.Journal, keep: true, policy), new HmacSigner(SimVenue.Secret), new BuyAndRest(), first,
                NullStrategyLogger.Instance, stop.Token);
            await first.WaitFor(l => l == "connection market streams connected");
            await CloseCandle(venue, first, 3);
            await first.WaitFor(l => l.StartsWith("order Filled Buy Market", StringComparison.Ordinal));
            await first.WaitFor(l => l.StartsWith("order Accepted Buy Limit", StringComparison.Ordinal));
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(20));
        }

        var before = JournalReader.Load(files.Journal);
        Assert.Equal(2, before.Orders.Count);
        var market = before.Orders[0].ClientOrderId;
        var limit = before.Orders[1].ClientOrderId;
        Assert.Equal(LiveOrderState.Filled, before.Orders[0].State);

        // The crash: the market order's answer, fill and state never reached the disk; the limit order's intent neither.
        LoseTail(files.Journal, market, limit);

        // Run 2 on the same journal.
        var second = new SignalingObserver();
        var strategy = new SellOnRestart();
        LiveRunResult result;
        using (var stop = new CancellationTokenSource())
        {
            var run = LiveSession.RunAsync(Settings(venue, files.Journal, keep: false, policy), new HmacSigner(SimVenue.Secret), strategy, second,
                NullStrategyLogger.Instance, stop.Token);
            await second.WaitFor(l => l == "connection market streams connected");
            var truth = Truth(venue);
            if (policy == UnknownOrderPolicy.Cancel)
            {
                // Canceled before trading; the cancel's answer may still be on its way.
                await second.WaitFor(l => l.StartsWith("order Canceled Buy Limit", StringComparison.Ordinal));
                Assert.Contains(Truth(venue).Status(limit), (string[])["CANCELED", "gone"]);
                Assert.Equal(1, strategy.StartOpenOrders);
            }
            else
            {
                Assert.Equal("NEW", truth.Status(limit));
                Assert.Equal(1, strategy.StartOpenOrders); // adopted: the strategy sees it working
            }

            // The strategy started with the venue's balances (the limit's locked quote counts: it is this account's).
            Assert.Equal(0, strategy.CandlesBeforeStart);
            Assert.Equal(truth.Total("BTC"), strategy.StartPosition);
            Assert.Equal(truth.Total("USDT"), strategy.StartCash);
            Assert.Equal(0.1m, strategy.StartPosition);

            await CloseCandle(venue, second, 4);
            await second.WaitFor(l => l.StartsWith("order Filled Sell Market", StringComparison.Ordinal));
            await stop.CancelAsync();
            result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        }

        Assert.NotNull(result.Reconciliation);
        Assert.True(result.Reconciliation.IsComplete);

        // The report came before any candle, and said what happened.
        var lines = second.Lines.ToList();
        var report = lines.FindIndex(l => l.StartsWith("connection reconciliation: 1 journalled orders checked, 1 settled, 1 unknown at the venue", StringComparison.Ordinal));
        Assert.True(report >= 0, string.Join('\n', lines));
        Assert.True(report < lines.FindIndex(l => l.StartsWith("candle ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains($"{market}: PendingNew -> Filled", StringComparison.Ordinal) && l.Contains("1 missing fills booked", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"unknown {limit}", StringComparison.Ordinal)
            && l.EndsWith(policy == UnknownOrderPolicy.Cancel ? ": cancel" : ": adopt", StringComparison.Ordinal));

        // The venue's truth and the engine agree at the end: position and cash, and every order closed (the adopted
        // one canceled at the stop).
        var end = Truth(venue);
        Assert.Equal(end.Total("BTC"), result.FinalPosition.Quantity);
        Assert.Equal(end.Total("USDT"), result.FinalCash);
        Assert.Contains(end.Status(limit), (string[])["CANCELED", "gone"]);
        Assert.Equal(0, result.OpenOrdersLeft);

        // The journal: the lost fill booked and the order settled; the new order continues the ids (same run id, next sequence).
        var after = JournalReader.Load(files.Journal);
        var settled = after.Orders.Single(o => o.ClientOrderId == market);
        Assert.Equal(LiveOrderState.Filled, settled.State);
        Assert.Equal(0.1m, settled.FilledQuantity);
        var sell = after.Orders.Single(o => o.Side == OrderSide.Sell);
        var prefix = market[..(market.IndexOf('-', StringComparison.Ordinal) + 1)];
        Assert.Equal(prefix + "3", sell.ClientOrderId);
        Assert.Equal(LiveOrderState.Filled, sell.State);
        Assert.Equal(end.TradeIds(), after.Fills.Select(f => f.TradeId).Order());
        Assert.Equal(end.ClientIds().Count, end.ClientIds().Distinct().Count());

        // A third start finds nothing left to settle.
        var third = new SignalingObserver();
        using (var stop = new CancellationTokenSource())
        {
            var run = LiveSession.RunAsync(Settings(venue, files.Journal, keep: false, policy), new HmacSigner(SimVenue.Secret), new BuyAndRest(), third,
                NullStrategyLogger.Instance, stop.Token);
            await third.WaitFor(l => l == "connection market streams connected");
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(20));
        }

        Assert.Contains(third.Lines, l => l.StartsWith("connection reconciliation: 2 journalled orders checked, 0 settled, 0 unknown at the venue", StringComparison.Ordinal));
    }

    private static void LoseTail(string journal, string market, string limit)
    {
        using var c = new SqliteConnection($"Data Source={journal};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            DELETE FROM fills;
            UPDATE orders SET state = 'PendingNew', venue_order_id = 0, venue_executed = '0' WHERE client_id = $market;
            DELETE FROM orders WHERE client_id = $limit;
            DELETE FROM events WHERE client_id = $limit OR (client_id = $market AND kind NOT IN ('Intent', 'Sent'));
            """;
        cmd.Parameters.AddWithValue("$market", market);
        cmd.Parameters.AddWithValue("$limit", limit);
        cmd.ExecuteNonQuery();
    }

    private static Task CloseCandle(SimVenue venue, SignalingObserver observer, int index)
    {
        var open = SimVenue.Candles()[index].OpenTime;
        venue.Server.AdvanceTo(open + 3_600_000 - 1);
        return observer.WaitFor(l => l == $"candle {open}");
    }

    private static SimTruth Truth(SimVenue venue) => new(venue.Server.Truth());

    /// <summary>The simulator's own view (<c>/sim/truth</c>), never touched by faults.</summary>
    private sealed class SimTruth(string json)
    {
        private readonly JsonElement _root = JsonDocument.Parse(json).RootElement;

        public decimal Total(string asset) => _root.GetProperty("balances").EnumerateArray()
            .Where(b => b.GetProperty("asset").GetString() == asset)
            .Sum(b => D(b, "free") + D(b, "locked"));

        /// <summary>The order's status; "gone" once the venue archived it (spot drops canceled orders without fills).</summary>
        public string? Status(string clientId) => _root.GetProperty("orders").EnumerateArray()
            .Where(o => o.GetProperty("clientOrderId").GetString() == clientId).Select(o => o.GetProperty("status").GetString())
            .SingleOrDefault() ?? "gone";

        public List<long> TradeIds() => _root.GetProperty("trades").EnumerateArray().Select(t => t.GetProperty("id").GetInt64()).Order().ToList();

        public List<string?> ClientIds() => _root.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("clientOrderId").GetString()).ToList();

        private static decimal D(JsonElement e, string name) => decimal.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
    }
}
