using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Engine;
using Trading.Live.Journal;
using Trading.Live.Orders;
using Trading.Live.Risk;
using Trading.Live.Tests.Journal;
using Trading.Live.Tests.Support;

namespace Trading.Live.Tests.Engine;

/// <summary>The engine writes the journal: every placed order with its send, fills and final state, risk trips, snapshots; a disk failure stops orders.</summary>
public sealed class LiveEngineJournalTests
{
    /// <summary>First live candle: a market buy and a far limit buy (canceled at the stop); next: sells the position.</summary>
    private sealed class BuySell : IStrategy
    {
        private bool _bought;
        private bool _sold;

        public void OnStart(IStrategyContext context)
        {
        }

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
            if (context.IsWarmingUp)
            {
                return;
            }

            if (!_bought)
            {
                _bought = true;
                context.Submit(OrderRequest.Market(OrderSide.Buy, 0.1m));
                context.Submit(OrderRequest.Limit(OrderSide.Buy, 0.1m, 50m));
                context.Submit(OrderRequest.Market(OrderSide.Buy, 1_000m)); // over --max-position: a risk refusal
            }
            else if (!_sold && context.Position.Quantity > 0)
            {
                _sold = true;
                context.Submit(OrderRequest.Market(OrderSide.Sell, context.Position.Quantity));
            }
        }

        public void OnOrderEvent(IStrategyContext context, in OrderEvent e)
        {
        }

        public void OnStop(IStrategyContext context)
        {
        }
    }

    private static LiveSettings Settings(SimVenue venue, string journal) => new()
    {
        Endpoints = venue.Endpoints,
        Symbol = "BTCUSDT",
        Interval = "1h",
        IntervalMs = 3_600_000,
        ApiKey = SimVenue.Key,
        Risk = RiskLimits.None with { MaxPosition = 1m },
        RunId = 78,
        JournalPath = journal,
    };

    [Fact]
    public async Task A_run_journals_every_order_it_placed_with_fills_final_states_risk_trips_and_snapshots()
    {
        using var files = new JournalFiles();
        await using var venue = await SimVenue.StartAsync(o => o with { FeeAsset = FeeAsset.Quote });
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        using var metrics = new LiveMetrics();
        var tickToOrder = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "quant.live.tick_to_order")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref tickToOrder));
        listener.Start();
        var run = LiveSession.RunAsync(Settings(venue, files.Journal), new HmacSigner(SimVenue.Secret), new BuySell(), observer, NullStrategyLogger.Instance, stop.Token, metrics: metrics);
        await observer.WaitFor(l => l == "connection market streams connected");
        await CloseCandle(venue, observer, 3);
        await observer.WaitFor(l => l.StartsWith("order Filled Buy Market", StringComparison.Ordinal));
        await CloseCandle(venue, observer, 4);
        await observer.WaitFor(l => l.StartsWith("order Filled Sell", StringComparison.Ordinal));
        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(LiveStopReason.Requested, result.Reason);
        // Sent from the journal's acknowledgement, each order still counts from the tick that caused it.
        Assert.Equal(result.OrdersSent, Volatile.Read(ref tickToOrder));

        var state = JournalReader.Load(files.Journal);
        // Placed orders only: the risk-refused one never had an intent.
        Assert.Equal(3, state.Orders.Select(o => o.ClientOrderId).Distinct().Count());
        Assert.All(state.Orders, o =>
        {
            Assert.NotEqual(0, o.SentRequestId);
            Assert.NotEqual(0, o.VenueOrderId);
            Assert.True(o.IsFinal, $"{o.ClientOrderId} ended {o.State}");
        });
        Assert.Equal([LiveOrderState.Filled, LiveOrderState.Canceled, LiveOrderState.Filled], state.Orders.Select(o => o.State));
        Assert.Equal([OrderType.Market, OrderType.Limit, OrderType.Market], state.Orders.Select(o => o.Type));

        Assert.Equal(result.Fills.Select(f => f.Fill.TradeId), state.Fills.Select(f => f.TradeId));
        Assert.Equal(result.Fills.Select(f => f.Fill.Price), state.Fills.Select(f => f.Price));
        Assert.Equal(result.Fills.Select(f => f.Commission), state.Fills.Select(f => f.Commission));
        Assert.Equal(state.Orders[0].ClientOrderId, state.Fills[0].ClientOrderId);
        Assert.Equal(state.Orders[2].ClientOrderId, state.Fills[^1].ClientOrderId);
        Assert.Equal(0.1m, state.Orders[0].FilledQuantity);

        // The first snapshot at the start of trading, the last one at the close, equal to the run's outcome.
        Assert.True(state.Snapshots.Count >= 2);
        Assert.Equal(10_000m, state.Snapshots[0].Quote);
        Assert.Equal(result.FinalPosition.Quantity, state.LastSnapshot!.Value.Base);
        Assert.Equal(result.FinalCash, state.LastSnapshot!.Value.Quote);

        Assert.Contains(RiskEvents(files.Journal), e => e.Contains("MaxPosition", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_journal_write_failure_trips_the_kill_switch_and_no_order_leaves_undurable()
    {
        using var files = new JournalFiles();
        await using var venue = await SimVenue.StartAsync();
        var observer = new SignalingObserver();
        var failing = 0;
        var run = LiveSession.RunAsync(Settings(venue, files.Journal), new HmacSigner(SimVenue.Secret), new BuySell(), observer,
            NullStrategyLogger.Instance, CancellationToken.None, time: null, metrics: null,
            journalOpened: w => w.BeforeCommit = (_, _, _) =>
            {
                if (Volatile.Read(ref failing) != 0)
                {
                    throw new IOException("disk full");
                }
            });
        await observer.WaitFor(l => l == "connection market streams connected");
        Volatile.Write(ref failing, 1);
        // The strategy's intents (or the last snapshot, if it was still queued) meet the failing disk.
        var open = SimVenue.Candles()[3].OpenTime;
        venue.Server.AdvanceTo(open + 3_600_000 - 1);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(LiveStopReason.KillSwitch, result.Reason);
        Assert.Equal(0, result.OrdersSent);
        Assert.Empty(result.Fills);
        Assert.Single(observer.Lines, l => l.StartsWith("risk KillSwitch tripped journal ", StringComparison.Ordinal) && l.Contains("disk full", StringComparison.Ordinal));
        Assert.All(JournalReader.Load(files.Journal).Orders, o => Assert.Equal(0, o.SentRequestId));
    }

    [Fact]
    public async Task An_unknown_place_outcome_is_journalled_then_settled_by_query()
    {
        using var files = new JournalFiles();
        await using var venue = await SimVenue.StartAsync(o => o with { Faults = Trading.Sim.Faults.FaultSpec.Parse("seed=5,unknown-outcome=1") });
        var observer = new SignalingObserver();
        using var stop = new CancellationTokenSource();
        var run = LiveSession.RunAsync(Settings(venue, files.Journal), new HmacSigner(SimVenue.Secret), new BuySell(), observer, NullStrategyLogger.Instance, stop.Token);
        await observer.WaitFor(l => l == "connection market streams connected");
        await CloseCandle(venue, observer, 3);
        await observer.WaitFor(l => l.StartsWith("order Filled Buy Market", StringComparison.Ordinal));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(20));

        var state = JournalReader.Load(files.Journal);
        var market = state.Orders[0];
        Assert.Equal(LiveOrderState.Filled, market.State);
        // Its history: the intent, the send, the unknown outcome (-1007), then the query's answer and the fill.
        Assert.Equal(["Intent", "Sent", "State:Unknown", "Ack"], Events(files.Journal, market.ClientOrderId).Take(4));
    }

    private static List<string> Events(string journal, string clientOrderId)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={journal};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT kind, state FROM events WHERE client_id = $id ORDER BY rowid";
        cmd.Parameters.AddWithValue("$id", clientOrderId);
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0) == "State" ? "State:" + r.GetString(1) : r.GetString(0));
        }

        return list;
    }

    private static List<string> RiskEvents(string journal)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={journal};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT rule || ': ' || text FROM events WHERE kind = 'RiskTrip'";
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    private static Task CloseCandle(SimVenue venue, SignalingObserver observer, int index)
    {
        var open = SimVenue.Candles()[index].OpenTime;
        venue.Server.AdvanceTo(open + 3_600_000 - 1);
        return observer.WaitFor(l => l == $"candle {open}");
    }
}
