using System.Diagnostics;
using System.Threading.Channels;
using EventLoop;
using EventLoop.Workers;
using Quant.Bench.Infrastructure;

namespace Quant.Bench.EventLoopBench;

/// <summary>
/// Loop → worker throughput: the loop thread writes 64-byte records (a journal entry's size) as fast as the channel
/// takes them, a dedicated worker drains them in batches (the handler sums a field, standing in for the SQLite write),
/// and each run ends when the loop has seen the acknowledgement of the last record. Items/s and bytes allocated per
/// item, whole process. Baseline: the same records, writer, worker thread and acknowledgements through a bounded
/// single-reader <see cref="Channel{T}"/> (TryWrite on the loop, TryRead drained in batches on the worker, which
/// waits with WaitToReadAsync).
/// </summary>
internal sealed class LoopWorkerBench : IBench
{
    private const int Capacity = 4096;
    private const int BatchSize = 256;

    public string Name => "loop-worker";

    public string Description => "loop -> worker thread items/s and B/item: WorkerChannel (batched, acks as completions) vs bounded Channel<T>";

    public int Run(string[] args)
    {
        long total = args.Length > 0 ? long.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2_000_000;
        Console.WriteLine($"loop-worker: {total:N0} records of 64 B per run, best of 3, {Environment.ProcessorCount} cores");
        RunWorkerChannel(total / 10);
        RunChannel(total / 10);
        double best = 0, bytes = double.MaxValue, baseline = 0, baselineBytes = double.MaxValue;
        for (int rep = 0; rep < 3; rep++)
        {
            var (r, b) = RunWorkerChannel(total);
            best = Math.Max(best, r);
            bytes = Math.Min(bytes, b);
            var (cr, cb) = RunChannel(total);
            baseline = Math.Max(baseline, cr);
            baselineBytes = Math.Min(baselineBytes, cb);
        }

        Console.WriteLine($"  WorkerChannel      {best / 1e6,7:F2} M items/s   {bytes,6:F2} B/item");
        Console.WriteLine($"  Channel<T> bounded {baseline / 1e6,7:F2} M items/s   {baselineBytes,6:F2} B/item");
        BenchReport.Print(Name, best, "items/s", baseline, [new("bytes_per_item", bytes), new("channel_bytes_per_item", baselineBytes)]);
        return 0;
    }

    private static (double Rate, double BytesPerItem) RunWorkerChannel(long total)
    {
        using var loop = new Loop();
        var w = new Writer { Total = total };
        using var channel = new WorkerChannel<Record>(loop, Capacity, BatchSize, batch =>
        {
            long sum = 0;
            foreach (ref readonly var rec in batch)
            {
                sum += rec.Sequence;
            }

            w.WorkerSum += sum;
        }, (ch, _, _) => w.Fill(ch));
        long alloc0 = GC.GetTotalAllocatedBytes(true);
        long t0 = Stopwatch.GetTimestamp();
        w.Fill(channel);
        loop.Run(RunMode.UntilDone);
        var elapsed = Stopwatch.GetElapsedTime(t0);
        long alloc = GC.GetTotalAllocatedBytes(true) - alloc0;
        if (channel.AckedThrough != total)
        {
            throw new InvalidOperationException($"acked {channel.AckedThrough} of {total}");
        }

        return (total / elapsed.TotalSeconds, alloc / (double)total);
    }

    private static (double Rate, double BytesPerItem) RunChannel(long total)
    {
        using var loop = new Loop();
        var channel = Channel.CreateBounded<Record>(new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var acks = new Notifier(loop);
        var s = new ChannelState { Total = total, Channel = channel, Acks = acks };
        var worker = new Thread(() =>
        {
            var batch = new Record[BatchSize];
            var reader = channel.Reader;
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                int n = 0;
                while (n < batch.Length && reader.TryRead(out batch[n]))
                {
                    n++;
                }

                long sum = 0;
                for (int i = 0; i < n; i++)
                {
                    sum += batch[i].Sequence;
                }

                s.WorkerSum += sum;
                Interlocked.Add(ref s.Acked, n);
                acks.Notify();
            }
        }) { IsBackground = true };
        worker.Start();
        long alloc0 = GC.GetTotalAllocatedBytes(true);
        long t0 = Stopwatch.GetTimestamp();
        s.Fill();
        acks.Wait(new Completion(), s, static (st, _, _, in _) =>
        {
            st.Fill();
            return Volatile.Read(ref st.Acked) == st.Total ? CallbackAction.Disarm : CallbackAction.Rearm;
        });
        loop.Run(RunMode.UntilDone);
        var elapsed = Stopwatch.GetElapsedTime(t0);
        long alloc = GC.GetTotalAllocatedBytes(true) - alloc0;
        channel.Writer.Complete();
        worker.Join();
        return (total / elapsed.TotalSeconds, alloc / (double)total);
    }

    /// <summary>A 64-byte record, the size of a journal entry.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = 64)]
    private struct Record
    {
        public long Sequence;
    }

    private sealed class Writer
    {
        public long Total { get; init; }

        public long WorkerSum;

        private long _next = 1;

        public void Fill(WorkerChannel<Record> ch)
        {
            var rec = default(Record);
            while (_next <= Total)
            {
                rec.Sequence = _next;
                if (!ch.TryWrite(rec, out _))
                {
                    return;
                }

                _next++;
            }
        }
    }

    private sealed class ChannelState
    {
        public long Acked;
        public long WorkerSum;

        public long Total { get; init; }

        public required Channel<Record> Channel { get; init; }

        public required Notifier Acks { get; init; }

        private long _next = 1;

        public void Fill()
        {
            var rec = default(Record);
            while (_next <= Total)
            {
                rec.Sequence = _next;
                if (!Channel.Writer.TryWrite(rec))
                {
                    return;
                }

                _next++;
            }
        }
    }
}
