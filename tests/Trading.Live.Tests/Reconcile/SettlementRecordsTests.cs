using EventLoop;
using Trading.Core.Orders;
using Trading.Live.Binance;
using Trading.Live.Journal;
using Trading.Live.Orders;
using Trading.Live.Reconcile;
using Trading.Live.Tests.Journal;
using Trading.Live.Tests.Orders;

namespace Trading.Live.Tests.Reconcile;

/// <summary>A restart journals its settlements, and the next restart finds nothing left to settle.</summary>
public sealed class SettlementRecordsTests : IDisposable
{
    private readonly JournalFiles _files = new();
    private readonly Loop _loop = new();

    public void Dispose()
    {
        _loop.Dispose();
        _files.Dispose();
    }

    [Fact]
    public void Journalled_settlements_make_the_second_restart_a_no_op()
    {
        var orders = new OrderManager(new ClientOrderIdCodec(3), "BTCUSDT", new RecordingListener());
        var lost = orders.Create(OrderRequest.Limit(OrderSide.Buy, 1m, 100m), now: 1_000);
        var racing = orders.Create(OrderRequest.Limit(OrderSide.Sell, 1m, 110m), now: 1_000);
        using (var w = JournalWriter.Open(_files.Journal, _loop))
        {
            Assert.True(w.TryAppend(JournalRecord.Intent(lost, 1_000), out _)); // crashed before its ack and fills
            Assert.True(w.TryAppend(JournalRecord.Intent(racing, 1_000), out _));
            Assert.True(w.TryAppend(JournalRecord.CancelRequested(racing, 5, 2_000), out _));
        }

        var venue = new VenueView(60_000, [],
            [
                new(lost.VenueId, 11, VenueOrderStatus.Filled, OrderSide.Buy, 100m, 1m, 1m, 3_000),
                new(racing.VenueId, 12, VenueOrderStatus.Filled, OrderSide.Sell, 110m, 1m, 1m, 3_000),
            ],
            [],
            [
                new(1, 11, OrderSide.Buy, 0.3m, 100m, 0, CommissionAsset.None, false, 2_500),
                new(2, 11, OrderSide.Buy, 0.7m, 100m, 0, CommissionAsset.None, false, 2_600),
                new(3, 12, OrderSide.Sell, 1m, 110m, 0, CommissionAsset.None, false, 2_700),
            ],
            new VenueBalances(0, 0, 1010m, 0));
        var first = Reconciler.Reconcile(JournalReader.Load(_files.Journal), venue, UnknownOrderPolicy.Cancel);
        Assert.All(first.Settlements, s => Assert.Equal(SettlementOutcome.Settled, s.Outcome));
        using (var w = JournalWriter.Open(_files.Journal, _loop))
        {
            foreach (var r in first.Settlements.SelectMany(s => SettlementRecords.For(s, 60_000)))
            {
                Assert.True(w.TryAppend(r, out _));
            }
        }

        var journal = JournalReader.Load(_files.Journal);
        Assert.Equal([LiveOrderState.Filled, LiveOrderState.Filled], journal.Orders.Select(o => o.State));
        Assert.Equal([1m, 1m], journal.Orders.Select(o => o.FilledQuantity));
        Assert.Equal(3, journal.LastTradeId);
        var second = Reconciler.Reconcile(journal, venue, UnknownOrderPolicy.Cancel);
        Assert.All(second.Settlements, s => Assert.Equal(SettlementOutcome.Unchanged, s.Outcome));
        Assert.Empty(second.Settlements.SelectMany(s => SettlementRecords.For(s, 61_000)));
    }
}
