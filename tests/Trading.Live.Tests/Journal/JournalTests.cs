using System.Diagnostics;
using EventLoop;
using Trading.Core.Orders;
using Trading.Live.Binance;
using Trading.Live.Journal;
using Trading.Live.Orders;
using Trading.Live.Risk;
using Trading.Live.Tests.Orders;

namespace Trading.Live.Tests.Journal;

/// <summary>The SQLite journal: round trip, idempotence, the process lock, the durability barrier, crash safety.</summary>
public sealed class JournalTests : IDisposable
{
    private readonly JournalFiles _files = new();
    private readonly OrderManager _orders = new(new ClientOrderIdCodec(7), "BTCUSDT", new RecordingListener());
    private readonly Loop _loop = new();

    public void Dispose()
    {
        _loop.Dispose();
        _files.Dispose();
    }

    private JournalWriter Open() => JournalWriter.Open(_files.Journal, _loop);

    private static void Append(JournalWriter w, in JournalRecord r) => Assert.True(w.TryAppend(r, out _));

    /// <summary>Runs the loop until the writer acknowledged everything appended (its channel keeps the loop alive until then).</summary>
    private void WaitDurable(JournalWriter w)
    {
        _loop.Run(RunMode.UntilDone);
        Assert.True(w.IsDurable(w.AppendedPosition));
    }

    private static ExecutionReport Trade(LiveOrder o, long tradeId, decimal qty, decimal price, decimal cum, VenueOrderStatus status) => new()
    {
        Sequence = o.Sequence, OrderId = 900 + o.Sequence, Side = o.Order.Side, ExecutionType = ExecutionType.Trade,
        Status = status, LastQuantity = qty, LastPrice = price, CumulativeQuantity = cum, TradeId = tradeId,
        Commission = 0.01m, CommissionAsset = CommissionAsset.Quote, TransactionTime = 1_700_000_000_500 + tradeId, IsMaker = true,
    };

    [Fact]
    public void Every_record_kind_round_trips_with_exact_decimals()
    {
        var buy = _orders.Create(OrderRequest.Limit(OrderSide.Buy, 0.0150m, 42000.10m, tag: "entry"), now: 1_700_000_000_000);
        var sell = _orders.Create(OrderRequest.StopMarket(OrderSide.Sell, 0.5m, 39000m), now: 1_700_000_000_001);
        using (var w = Open())
        {
            Append(w, JournalRecord.Intent(buy, 1_700_000_000_000));
            Append(w, JournalRecord.Sent(buy, requestId: 11, now: 1_700_000_000_002));
            buy.VenueOrderId = 901;
            buy.State = LiveOrderState.New;
            Append(w, JournalRecord.Ack(buy, 1_700_000_000_003));
            Append(w, JournalRecord.Fill(Trade(buy, 5, 0.0100m, 42000.10m, 0.0100m, VenueOrderStatus.PartiallyFilled), buy.VenueId));
            Append(w, JournalRecord.CancelRequested(buy, requestId: 12, now: 1_700_000_000_600));
            Append(w, JournalRecord.StateOf(buy, LiveOrderState.Canceled, "by the strategy", 1_700_000_000_700));
            Append(w, JournalRecord.Intent(sell, 1_700_000_000_001));
            Append(w, JournalRecord.RiskTrip(RiskRule.MaxPosition, "position 2 over 1", 1_700_000_000_800));
            Append(w, JournalRecord.Snapshot(0.0100m, 9579.99m, 1_700_000_000_900));
        }

        var state = JournalReader.Load(_files.Journal);
        Assert.Equal(2, state.Orders.Count);
        var b = state.Orders[0];
        Assert.Equal(("q00000007-1", OrderSide.Buy, OrderType.Limit, 0.0150m, 42000.10m, "entry"), (b.ClientOrderId, b.Side, b.Type, b.Quantity, b.Price, b.Tag));
        Assert.Equal("0.0150", b.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture)); // scale kept
        Assert.Equal((LiveOrderState.Canceled, 901L, 11L, "by the strategy", 0.0100m), (b.State, b.VenueOrderId, b.SentRequestId, b.Reason, b.FilledQuantity));
        var s = state.Orders[1];
        Assert.Equal((OrderType.StopMarket, 39000m, LiveOrderState.PendingNew, 0L, 0m), (s.Type, s.StopPrice, s.State, s.SentRequestId, s.FilledQuantity));
        var f = Assert.Single(state.Fills);
        Assert.Equal((5L, buy.VenueId, 0.0100m, 42000.10m, 0.01m, CommissionAsset.Quote, true, 901L), (f.TradeId, f.ClientOrderId, f.Quantity, f.Price, f.Commission, f.CommissionAsset, f.IsMaker, f.VenueOrderId));
        Assert.Equal(new JournalSnapshot(1_700_000_000_900, 0.0100m, 9579.99m), state.LastSnapshot);
        Assert.Equal((1_700_000_000_900L, 5L), (state.LastKnownTime, state.LastTradeId));
    }

    [Fact]
    public void Duplicates_and_late_records_change_nothing()
    {
        var o = _orders.Create(OrderRequest.Limit(OrderSide.Buy, 1m, 100m), now: 1);
        using (var w = Open())
        {
            Append(w, JournalRecord.Intent(o, 1));
            Append(w, JournalRecord.Intent(o, 2)); // the same intent again (a retried append)
            var first = Trade(o, 1, 0.4m, 100m, 0.4m, VenueOrderStatus.PartiallyFilled);
            var last = Trade(o, 2, 0.6m, 100m, 1m, VenueOrderStatus.Filled);
            Append(w, JournalRecord.Fill(first, o.VenueId));
            Append(w, JournalRecord.Fill(last, o.VenueId));
            Append(w, JournalRecord.Fill(first, o.VenueId)); // a duplicated report must not reopen the filled order
            Append(w, JournalRecord.StateOf(o, LiveOrderState.Canceled, "late cancel", 99)); // loses to the fill
            Append(w, JournalRecord.Ack(o, 100)); // a late ack: no regression from Filled
        }

        var state = JournalReader.Load(_files.Journal);
        var order = Assert.Single(state.Orders);
        Assert.Equal((LiveOrderState.Filled, 1m, 1L), (order.State, order.FilledQuantity, order.Created));
        Assert.Null(order.Reason);
        Assert.Equal([1L, 2L], state.Fills.Select(f => f.TradeId));
    }

    [Fact]
    public void A_second_writer_on_the_same_journal_is_refused_until_the_first_closes()
    {
        var first = Open();
        var e = Assert.Throws<JournalLockedException>(() => JournalWriter.Open(_files.Journal, _loop));
        Assert.Equal($"journal {_files.Journal} is in use by another quant process (lock {_files.Journal}.lock); stop it first", e.Message);
        first.Dispose();
        JournalWriter.Open(_files.Journal, _loop).Dispose();
    }

    [Fact]
    public void A_journal_locked_by_another_process_is_refused()
    {
        Directory.CreateDirectory(_files.Dir);
        var start = new ProcessStartInfo("flock", ["--exclusive", "--nonblock", _files.Journal + ".lock", "-c", "echo held; read line"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        using var holder = Process.Start(start)!;
        try
        {
            Assert.Equal("held", holder.StandardOutput.ReadLine()); // the other process holds the lock now
            Assert.Throws<JournalLockedException>(() => JournalWriter.Open(_files.Journal, _loop));
        }
        finally
        {
            holder.StandardInput.Close();
            holder.WaitForExit();
        }

        JournalWriter.Open(_files.Journal, _loop).Dispose(); // the kernel released it with the process
    }

    [Fact]
    public void The_barrier_reaches_the_loop_as_a_completion_once_the_intent_is_on_disk()
    {
        var o = _orders.Create(OrderRequest.Market(OrderSide.Buy, 1m), now: 5);
        JournalState? seen = null;
        long position = 0;
        var gate = new DurabilityGate<long>();
        var sent = new List<long>();
        JournalWriter? writer = null;
        using var w = JournalWriter.Open(_files.Journal, _loop, (durable, error) =>
        {
            Assert.Null(error);
            Assert.Equal(durable, writer!.DurablePosition);
            while (gate.TryRelease(durable, out var seq))
            {
                seen = JournalReader.Load(writer.Path); // what another process would find on disk as the order leaves
                sent.Add(seq);
            }
        });
        writer = w;
        Assert.True(w.TryAppend(JournalRecord.Intent(o, 5), out position));
        gate.Hold(position, o.Sequence);
        Assert.Empty(sent);
        _loop.Run(RunMode.UntilDone);
        Assert.Equal([o.Sequence], sent);
        Assert.Equal(1, position);
        Assert.Equal(o.VenueId, Assert.Single(seen!.Orders).ClientOrderId);
    }

    [Fact]
    public void Appending_allocates_nothing_per_record_on_the_loop_thread()
    {
        const int Records = 10_000; // within the ring, so that none is refused however slow the disk
        var o = _orders.Create(OrderRequest.Market(OrderSide.Buy, 1m), now: 5);
        using var w = Open();
        var record = JournalRecord.Sent(o, 1, 5);
        for (var i = 0; i < Records; i++)
        {
            Append(w, record); // warm up: tiered compilation and the worker's first wake-ups
        }

        WaitDurable(w);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Records; i++)
        {
            w.TryAppend(record, out _);
        }

        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;

        // Less than one byte per record: no record allocates (the runtime's own one-off work may still show up once).
        Assert.True(bytes < Records, $"{bytes} bytes allocated for {Records} appends");
        WaitDurable(w);
        Assert.Equal(2 * Records, w.DurablePosition);
    }

    [Fact]
    public void A_batch_caught_mid_transaction_leaves_nothing_and_the_batches_before_it_survive()
    {
        var crash = Path.Combine(_files.Dir, "crash");
        Directory.CreateDirectory(crash);
        using var gate = new ManualResetEventSlim(false);
        using var inFirst = new ManualResetEventSlim(false);
        long walAtCrash = 0;
        var batches = 0;
        using var w = Open();
        w.BeforeCommit = (connection, tx, n) =>
        {
            if (++batches == 1)
            {
                using var c = connection.CreateCommand();
                c.Transaction = tx;
                c.CommandText = "PRAGMA cache_size=1"; // the next batch spills its pages into the WAL before committing
                c.ExecuteNonQuery();
                inFirst.Set();
                gate.Wait(); // hold the worker so that the whole second batch is queued behind this one
            }
            else if (batches == 2)
            {
                // What the disk holds at this instant is what a SIGKILL here would leave.
                foreach (var suffix in new[] { "", "-wal" })
                {
                    File.Copy(_files.Journal + suffix, Path.Combine(crash, "journal.db" + suffix));
                }

                walAtCrash = new FileInfo(_files.Journal + "-wal").Length;
            }
        };

        var first = _orders.Create(OrderRequest.Market(OrderSide.Buy, 1m), now: 1);
        Append(w, JournalRecord.Intent(first, 1));
        Assert.True(inFirst.Wait(TimeSpan.FromSeconds(30)));
        for (var i = 0; i < 1000; i++)
        {
            var o = _orders.Create(OrderRequest.Limit(OrderSide.Sell, 1m, 100m + i, tag: new string('x', 200)), now: 2);
            Append(w, JournalRecord.Intent(o, 2));
        }

        gate.Set();
        WaitDurable(w);
        Assert.Equal(2, batches);
        // The second batch's 1000 tags alone are 200 kB: a WAL that large holds its uncommitted pages, so the copy is a
        // real half-written transaction, not merely one that was still in memory.
        Assert.True(walAtCrash > 200_000, $"the uncommitted batch reached the WAL ({walAtCrash} bytes)");
        var recovered = JournalReader.Load(Path.Combine(crash, "journal.db"));
        Assert.Equal(first.VenueId, Assert.Single(recovered.Orders).ClientOrderId);
        Assert.Equal(1001, JournalReader.Load(_files.Journal).Orders.Count); // the live journal committed both
    }

    [Fact]
    public void A_stalled_disk_never_stalls_the_loop_a_full_ring_refuses_and_the_rest_is_written_later()
    {
        using var gate = new ManualResetEventSlim(false);
        using var inFirst = new ManualResetEventSlim(false);
        var o = _orders.Create(OrderRequest.Market(OrderSide.Buy, 1m), now: 5);
        using var w = JournalWriter.Open(_files.Journal, _loop, capacity: 8);
        w.BeforeCommit = (_, _, _) =>
        {
            inFirst.Set();
            gate.Wait(); // the disk hangs
        };
        Assert.True(w.TryAppend(JournalRecord.Intent(o, 5), out _));
        Assert.True(inFirst.Wait(TimeSpan.FromSeconds(30)));
        var accepted = 0;
        while (w.TryAppend(JournalRecord.Sent(o, accepted, 6), out _))
        {
            accepted++;
        }

        Assert.Equal(8, accepted); // the ring's slots, then a refusal: the caller refuses the order instead of waiting
        Assert.False(w.IsDurable(1));
        w.BeforeCommit = null;
        gate.Set();
        WaitDurable(w);
        Assert.Equal(9, w.DurablePosition);
    }

    [Fact]
    public void A_failed_write_is_reported_once_on_the_loop_and_refuses_everything_after()
    {
        var o = _orders.Create(OrderRequest.Market(OrderSide.Buy, 1m), now: 5);
        var errors = new List<Exception>();
        using var w = JournalWriter.Open(_files.Journal, _loop, (_, error) =>
        {
            if (error is not null)
            {
                errors.Add(error);
            }
        });
        w.BeforeCommit = (_, _, _) => throw new IOException("disk full");
        Assert.True(w.TryAppend(JournalRecord.Intent(o, 5), out var position));
        _loop.Run(RunMode.UntilDone);
        Assert.Equal("disk full", Assert.Single(errors).Message);
        Assert.Equal("disk full", w.Fault?.Message);
        Assert.False(w.IsDurable(position));
        Assert.False(w.TryAppend(JournalRecord.Sent(o, 1, 6), out _));
        Assert.Empty(JournalReader.Load(_files.Journal).Orders); // the failed batch was rolled back
    }

    [Fact]
    public void Missing_and_foreign_files_are_one_line_errors()
    {
        var missing = Path.Combine(_files.Dir, "none.db");
        Assert.Equal($"{missing}: no such journal", Assert.Throws<FileNotFoundException>(() => JournalReader.Load(missing)).Message);
        var text = Path.Combine(_files.Dir, "notes.txt");
        File.WriteAllText(text, "not a database, just text that is long enough to have a header of sorts ..........");
        var e = Assert.Throws<JournalFormatException>(() => JournalReader.Load(text));
        Assert.StartsWith($"{text}: not a quant journal", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
