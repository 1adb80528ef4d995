namespace EventLoop.Tests;

public sealed class NotifyOffloadTests
{
    [Fact]
    public void Notify_from_many_threads_coalesces_and_the_last_notify_is_always_seen()
    {
        using var loop = new Loop();
        var notifier = new Notifier(loop);
        var probe = new NotifyProbe { Total = 8 * 5000 };
        notifier.Wait(new Completion(), probe, static (p, _, _, in r) =>
        {
            Assert.Equal(Operation.Notify, r.Operation);
            p.Callbacks++;
            // Each thread counts before notifying, and a callback follows every Notify: the last one sees the total.
            return Volatile.Read(ref p.Notified) == p.Total ? CallbackAction.Disarm : CallbackAction.Rearm;
        });
        var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < 5000; i++)
            {
                Interlocked.Increment(ref probe.Notified);
                notifier.Notify();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        loop.Run(RunMode.UntilDone); // returns only once the callback saw every notification
        threads.ForEach(t => t.Join());
        Assert.Equal(probe.Total, probe.Notified);
        Assert.InRange(probe.Callbacks, 1, probe.Total);
    }

    [Fact]
    public void A_notification_without_a_waiter_is_remembered_for_the_next_wait()
    {
        using var loop = new Loop();
        var notifier = new Notifier(loop);
        var probe = new NotifyProbe();
        notifier.Notify();
        notifier.Notify();
        loop.Run(RunMode.NoWait); // the signal arrives, nobody waits
        notifier.Wait(new Completion(), probe, static (p, _, _, in _) =>
        {
            p.Callbacks++;
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(1, probe.Callbacks);
        Assert.Throws<InvalidOperationException>(() =>
        {
            notifier.Wait(new Completion(), probe, static (_, _, _, in _) => CallbackAction.Disarm);
            notifier.Wait(new Completion(), probe, static (_, _, _, in _) => CallbackAction.Disarm);
        });
    }

    [Fact]
    public void Offload_from_many_completions_runs_on_the_pool_and_returns_on_the_loop_thread()
    {
        using var loop = new Loop();
        int loopThread = Environment.CurrentManagedThreadId;
        var jobs = Enumerable.Range(1, 500).Select(i => new Job { Input = i, LoopThread = loopThread }).ToArray();
        foreach (var job in jobs)
        {
            loop.Offload(new Completion(), job, static j =>
            {
                j.WorkThread = Environment.CurrentManagedThreadId;
                j.Output = (long)j.Input * j.Input;
            }, static (j, _, _, in r) =>
            {
                Assert.True(r.IsSuccess);
                Assert.Equal(j.LoopThread, Environment.CurrentManagedThreadId);
                j.Seen = j.Output;
                return CallbackAction.Disarm;
            });
        }

        loop.Run(RunMode.UntilDone);
        Assert.All(jobs, j =>
        {
            Assert.Equal((long)j.Input * j.Input, j.Seen);
            Assert.NotEqual(loopThread, j.WorkThread);
        });
    }

    [Fact]
    public void Offload_rearm_runs_the_work_again_and_reports_its_exception()
    {
        using var loop = new Loop();
        var job = new Job();
        loop.Offload(new Completion(), job, static j =>
        {
            j.Output++;
            if (j.Output == 3)
            {
                throw new FormatException("third run");
            }
        }, static (j, _, _, in r) =>
        {
            if (r.Exception is FormatException)
            {
                j.Seen = -1;
                return CallbackAction.Disarm;
            }

            j.Seen++;
            return CallbackAction.Rearm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(3, job.Output);
        Assert.Equal(-1, job.Seen);
    }

    private sealed class NotifyProbe
    {
        public int Notified;

        public int Total { get; init; }

        public int Callbacks { get; set; }
    }

    private sealed class Job
    {
        public int Input { get; init; }

        public int LoopThread { get; init; }

        public int WorkThread { get; set; }

        public long Output { get; set; }

        public long Seen { get; set; }
    }
}
