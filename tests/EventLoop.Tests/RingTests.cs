using EventLoop.Queues;

namespace EventLoop.Tests;

public sealed class RingTests
{
    [Theory]
    [InlineData(4, 16, 5_000)]       // tiny ring: producers constantly wait for room
    [InlineData(4, 1 << 12, 50_000)]
    [InlineData(1, 2, 5_000)]
    public void Ring_under_many_producers_loses_nothing_duplicates_nothing_and_keeps_per_producer_order(int producers, int capacity, int perProducer)
        => CheckQueue(new MpscRing<long>(capacity), producers, perProducer);

    [Fact]
    public void Channel_queue_meets_the_same_contract() => CheckQueue(new ChannelQueue<long>(), 4, 50_000);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public void Ring_capacity_must_be_a_power_of_two(int capacity)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new MpscRing<long>(capacity));

    [Fact]
    public void Ring_drains_in_order_and_reports_pending_exactly()
    {
        var ring = new MpscRing<long>(4);
        Assert.False(ring.HasPending);
        var buf = new long[8];
        Assert.Equal(0, ring.DrainTo(buf));
        for (int round = 0; round < 5; round++) // wraps around several times
        {
            ring.Enqueue(round * 10);
            ring.Enqueue((round * 10) + 1);
            ring.Enqueue((round * 10) + 2);
            Assert.True(ring.HasPending);
            Assert.Equal(2, ring.DrainTo(buf.AsSpan(0, 2)));
            Assert.Equal([round * 10, (round * 10) + 1], buf[..2]);
            Assert.Equal(1, ring.DrainTo(buf));
            Assert.Equal((round * 10) + 2, buf[0]);
            Assert.False(ring.HasPending);
        }
    }

    private static void CheckQueue(ICrossThreadQueue<long> queue, int producers, int perProducer)
    {
        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
        {
            for (long i = 0; i < perProducer; i++)
            {
                queue.Enqueue(((long)p << 32) | i);
            }
        })).ToList();
        threads.ForEach(t => t.Start());

        var next = new long[producers];
        var buf = new long[256];
        long total = (long)producers * perProducer;
        long seen = 0;
        var spin = default(SpinWait);
        while (seen < total)
        {
            int n = queue.DrainTo(buf);
            if (n == 0)
            {
                spin.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            for (int i = 0; i < n; i++)
            {
                int p = (int)(buf[i] >> 32);
                long seq = buf[i] & 0xFFFF_FFFF;
                Assert.Equal(next[p], seq); // in order, no gap (loss), no repeat (duplicate)
                next[p]++;
            }

            seen += n;
        }

        threads.ForEach(t => t.Join());
        Assert.Equal(0, queue.DrainTo(buf));
        Assert.False(queue.HasPending);
        Assert.All(next, n => Assert.Equal(perProducer, n));
    }
}
