using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EventLoop;

/// <summary>
/// The loop's <see cref="System.Diagnostics.Metrics"/> instruments, on the meter <see cref="MeterName"/> (subscribe with
/// OpenTelemetry's <c>AddMeter("Quant.EventLoop")</c> or a <see cref="MeterListener"/>). Shared by every loop in the
/// process. Cheap enough to stay on: with no listener each costs one "enabled" check per tick or dispatch; with one,
/// the dispatched count is added once per tick, and the two histograms time one callback in
/// <see cref="LoopOptions.MetricsSampleInterval"/> (a few timestamps and records each).
/// </summary>
public static class LoopMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Quant.EventLoop";

    /// <summary>Counter: user callbacks run (added once per tick).</summary>
    public const string DispatchedName = "eventloop.completions.dispatched";

    /// <summary>Histogram, microseconds: how long each callback ran.</summary>
    public const string CallbackDurationName = "eventloop.callback.duration";

    /// <summary>Histogram, microseconds: from a completion's hand-over on another thread (I/O done, post, offload) to the start of its callback.</summary>
    public const string DispatchLagName = "eventloop.dispatch.lag";

    /// <summary>Gauge: the most completions taken from the cross-thread ring in one tick since the last observation (its depth high-water mark).</summary>
    public const string RingHighWaterName = "eventloop.ring.high_water";

    private static readonly Meter Meter = new(MeterName);
    private static long s_ringHighWater;

    internal static readonly Counter<long> Dispatched = Meter.CreateCounter<long>(DispatchedName, "{callback}", "callbacks run on loop threads");

    internal static readonly Histogram<double> CallbackDuration = Meter.CreateHistogram<double>(CallbackDurationName, "us", "time spent in each loop callback");

    internal static readonly Histogram<double> DispatchLag = Meter.CreateHistogram<double>(DispatchLagName, "us", "time from a cross-thread completion to its callback");

    internal static readonly ObservableGauge<long> RingHighWater = Meter.CreateObservableGauge(RingHighWaterName,
        static () => Interlocked.Exchange(ref s_ringHighWater, 0), "{completion}", "most completions drained from the ring in one tick since the last observation");

    internal static void ObserveRingDepth(long drained)
    {
        long seen = Volatile.Read(ref s_ringHighWater);
        while (drained > seen)
        {
            long prior = Interlocked.CompareExchange(ref s_ringHighWater, drained, seen);
            if (prior == seen)
            {
                return;
            }

            seen = prior;
        }
    }

    internal static double MicrosecondsSince(long timestamp) => Stopwatch.GetElapsedTime(timestamp).Ticks / 10.0;
}
