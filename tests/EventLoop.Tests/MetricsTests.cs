using System.Diagnostics.Metrics;

namespace EventLoop.Tests;

[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsCollection
{
}

/// <summary>The loop's instruments (shared by every loop in the process, hence run alone).</summary>
[Collection(nameof(MetricsTests))]
public sealed class MetricsTests
{
    [Fact]
    public void Dispatched_callback_time_lag_and_ring_high_water_are_recorded_exactly()
    {
        var seen = new Seen();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LoopMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument, seen);
            }
        };
        listener.SetMeasurementEventCallback<long>(static (i, value, _, state) => ((Seen)state!).Add(i.Name, value));
        listener.SetMeasurementEventCallback<double>(static (i, value, _, state) => ((Seen)state!).Add(i.Name, value));
        listener.Start();

        using var loop = new Loop(new LoopOptions { MetricsSampleInterval = 1 });
        var log = new Log();
        var notifier = new Notifier(loop);
        notifier.Wait(new Completion(), log, static (l, _, _, in _) => CallbackAction.Disarm); // 1 local callback
        var producer = new Thread(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                loop.Post(new Completion(), log, static (l, _, _, in _) =>
                {
                    l.Count++;
                    return CallbackAction.Disarm;
                });
            }

            notifier.Notify();
        });
        producer.Start();
        producer.Join(); // all 10 posts and the signal are in the ring before Run: one tick drains 11
        loop.Run(RunMode.UntilDone);
        listener.RecordObservableInstruments();
        listener.Dispose();

        Assert.Equal(10, log.Count);
        Assert.Equal(11, seen.Sum(LoopMetrics.DispatchedName));          // 10 posts + the notifier's waiter
        Assert.Equal(11, seen.Count(LoopMetrics.CallbackDurationName));  // one duration per callback
        Assert.Equal(11, seen.Count(LoopMetrics.DispatchLagName));       // 10 posts + the signal, each crossed threads
        Assert.All(seen.Values(LoopMetrics.DispatchLagName), v => Assert.True(v >= 0));
        Assert.Equal(11, seen.Values(LoopMetrics.RingHighWaterName).Max());
    }

    [Fact]
    public void Histograms_time_one_callback_in_the_sample_interval_and_the_counter_counts_all()
    {
        var seen = new Seen();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LoopMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument, seen);
            }
        };
        listener.SetMeasurementEventCallback<long>(static (i, value, _, state) => ((Seen)state!).Add(i.Name, value));
        listener.SetMeasurementEventCallback<double>(static (i, value, _, state) => ((Seen)state!).Add(i.Name, value));
        listener.Start();
        using var loop = new Loop(new LoopOptions { MetricsSampleInterval = 4 });
        var log = new Log();
        loop.Post(new Completion(), log, static (l, _, _, in _) => ++l.Count < 16 ? CallbackAction.Rearm : CallbackAction.Disarm);
        loop.Run(RunMode.UntilDone);
        listener.Dispose();
        Assert.Equal(16, seen.Sum(LoopMetrics.DispatchedName));
        Assert.Equal(4, seen.Count(LoopMetrics.CallbackDurationName));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Loop(new LoopOptions { MetricsSampleInterval = 3 }));
    }

    [Fact]
    public void Without_a_listener_nothing_is_stamped()
    {
        using var loop = new Loop();
        var c = new Completion();
        var t = new Thread(() => loop.Post(c, c, static (_, _, _, in _) => CallbackAction.Disarm));
        t.Start();
        t.Join();
        Assert.Equal(0, c.HandOverStamp);
        loop.Run(RunMode.UntilDone);
    }

    private sealed class Seen
    {
        private readonly List<(string Name, double Value)> _all = [];

        public void Add(string name, double value)
        {
            lock (_all)
            {
                _all.Add((name, value));
            }
        }

        public double Sum(string name) => Values(name).Sum();

        public int Count(string name) => Values(name).Count();

        public IEnumerable<double> Values(string name)
        {
            lock (_all)
            {
                return _all.Where(m => m.Name == name).Select(m => m.Value).ToList();
            }
        }
    }
}
