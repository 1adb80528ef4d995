using EventLoop.Workers;

namespace EventLoop.Tests;

/// <summary>The loop → worker channel: batched draining on a dedicated thread, acknowledgements as loop completions.</summary>
public sealed class WorkerChannelTests
{
    [Fact]
    public void Items_reach_the_worker_in_order_in_batches_and_acks_come_back_on_the_loop_thread()
    {
        using var loop = new Loop();
        var p = new Probe { Total = 20_000 };
        using var channel = new WorkerChannel<long>(loop, capacity: 1024, batchSize: 256, batch =>
        {
            p.WorkerThread = Environment.CurrentManagedThreadId;
            p.Batches++;
            p.MaxBatch = Math.Max(p.MaxBatch, batch.Length);
            foreach (long v in batch)
            {
                p.Seen.Add(v);
            }
        }, (ch, acked, error) =>
        {
            Assert.Null(error);
            Assert.True(acked > p.LastAck);
            p.LastAck = acked;
            p.AckThreads.Add(Environment.CurrentManagedThreadId);
            p.Fill(ch); // room was freed: write more from the ack, on the loop thread
        });
        p.LoopThread = Environment.CurrentManagedThreadId;
        p.Fill(channel);
        loop.Run(RunMode.UntilDone); // alive while items are unacknowledged
        Assert.Equal(Enumerable.Range(1, p.Total).Select(i => (long)i), p.Seen);
        Assert.Equal(p.Total, p.LastAck);
        Assert.Equal(p.Total, channel.AckedThrough);
        Assert.Equal([p.LoopThread], p.AckThreads.Distinct());
        Assert.NotEqual(p.LoopThread, p.WorkerThread);
        Assert.True(p.Batches < p.Total); // drained in batches, not item by item
        Assert.InRange(p.MaxBatch, 1, 256);
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void A_full_ring_refuses_without_blocking_and_a_throwing_handler_faults_the_channel_once()
    {
        using var loop = new Loop();
        using var gate = new ManualResetEventSlim();
        var errors = new List<Exception?>();
        using var channel = new WorkerChannel<int>(loop, capacity: 4, batchSize: 4, batch =>
        {
            gate.Wait();
            throw new IOException("disk full");
        }, (_, _, e) => errors.Add(e));
        int accepted = 0;
        while (channel.TryWrite(accepted, out _))
        {
            accepted++;
            Assert.True(accepted <= 8); // 4 slots, plus at most one batch of 4 the worker took
        }

        Assert.InRange(accepted, 4, 8);
        gate.Set();
        loop.Run(RunMode.UntilDone);
        Assert.IsType<IOException>(Assert.Single(errors));
        Assert.False(channel.TryWrite(99, out _));
        Assert.Equal(0, channel.AckedThrough);
    }

    private sealed class Probe
    {
        public int Total { get; init; }

        public List<long> Seen { get; } = [];

        public List<int> AckThreads { get; } = [];

        public long LastAck { get; set; }

        public int Batches { get; set; }

        public int MaxBatch { get; set; }

        public int LoopThread { get; set; }

        public int WorkerThread { get; set; }

        private long _next = 1;

        public void Fill(WorkerChannel<long> ch)
        {
            while (_next <= Total && ch.TryWrite(_next, out long seq))
            {
                Assert.Equal(_next, seq);
                _next++;
            }
        }
    }
}
