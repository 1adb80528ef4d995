using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EventLoop;
using EventLoop.Net;
using Quant.Bench.Infrastructure;

namespace Quant.Bench.EventLoopBench;

/// <summary>
/// Arm + cancel pairs per second on one loop thread, each pair including the canceled callback's dispatch: 1,024
/// reusable timer completions are armed (1 hour), canceled, and their canceled callbacks run, round after round.
/// Baseline: the same arm + cancel pairs on reusable <see cref="System.Threading.Timer"/>s (<c>Change(1 h)</c> then
/// <c>Change(Infinite)</c>), which has no callback to run. Also reported: TCP receive arm + cancel pairs (a real socket
/// operation removed from the runtime's queue), whose cancel allocates a fresh CancellationTokenSource.
/// </summary>
internal sealed class LoopCancelBench : IBench
{
    private const int Batch = 1024;

    public string Name => "loop-cancel";

    public string Description => "timer arm+cancel(+canceled callback) pairs/s and B/pair vs System.Threading.Timer Change pairs; TCP receive arm+cancel pairs/s";

    public int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        Console.WriteLine($"loop-cancel: {rounds:N0} rounds of {Batch:N0} pairs, best of 3, {Environment.ProcessorCount} cores");
        TimerPairs(rounds / 10);
        ThreadingTimerPairs(rounds / 10);
        double best = 0, bytes = double.MaxValue, baseline = 0;
        for (int rep = 0; rep < 3; rep++)
        {
            var (rate, b) = TimerPairs(rounds);
            best = Math.Max(best, rate);
            bytes = Math.Min(bytes, b);
            baseline = Math.Max(baseline, ThreadingTimerPairs(rounds));
        }

        var (tcpRate, tcpBytes) = TcpPairs(Math.Max(1, rounds / 20));
        Console.WriteLine($"  loop timer arm+cancel     {best / 1e6,7:F2} M pairs/s   {bytes,6:F2} B/pair");
        Console.WriteLine($"  System.Threading.Timer    {baseline / 1e6,7:F2} M pairs/s");
        Console.WriteLine($"  loop tcp receive+cancel   {tcpRate / 1e3,7:F1} k pairs/s   {tcpBytes,6:F1} B/pair");
        BenchReport.Print(Name, best, "pairs/s", baseline,
        [
            new("bytes_per_pair", bytes),
            new("tcp_receive_cancel_pairs_per_s", tcpRate),
            new("tcp_bytes_per_pair", tcpBytes),
        ]);
        return 0;
    }

    private static (double Rate, double BytesPerPair) TimerPairs(int rounds)
    {
        using var loop = new Loop();
        var completions = Enumerable.Range(0, Batch).Select(_ => new Completion()).ToArray();
        var probe = new Probe();
        var hour = TimeSpan.FromHours(1);
        long alloc0 = GC.GetAllocatedBytesForCurrentThread();
        long t0 = Stopwatch.GetTimestamp();
        for (int r = 0; r < rounds; r++)
        {
            foreach (var c in completions)
            {
                loop.Timer(c, hour, probe, OnCanceled);
                loop.Cancel(c);
            }

            loop.Run(RunMode.NoWait);
        }

        var elapsed = Stopwatch.GetElapsedTime(t0);
        long alloc = GC.GetAllocatedBytesForCurrentThread() - alloc0;
        long pairs = (long)rounds * Batch;
        if (probe.Canceled != pairs)
        {
            throw new InvalidOperationException($"{probe.Canceled} canceled callbacks, expected {pairs}");
        }

        return (pairs / elapsed.TotalSeconds, alloc / (double)pairs);
    }

    private static double ThreadingTimerPairs(int rounds)
    {
        var timers = Enumerable.Range(0, Batch).Select(_ => new Timer(static _ => { }, null, Timeout.Infinite, Timeout.Infinite)).ToArray();
        long t0 = Stopwatch.GetTimestamp();
        for (int r = 0; r < rounds; r++)
        {
            foreach (var t in timers)
            {
                t.Change(3_600_000, Timeout.Infinite);
                t.Change(Timeout.Infinite, Timeout.Infinite);
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(t0);
        foreach (var t in timers)
        {
            t.Dispose();
        }

        return (long)rounds * Batch / elapsed.TotalSeconds;
    }

    private static (double Rate, double BytesPerPair) TcpPairs(int rounds)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        using var tcp = new Tcp(client);
        using var loop = new Loop();
        var probe = new Probe();
        var c = new Completion();
        var buffer = new byte[64];
        long alloc0 = GC.GetTotalAllocatedBytes(true);
        long t0 = Stopwatch.GetTimestamp();
        for (int r = 0; r < rounds; r++)
        {
            tcp.Receive(loop, c, buffer, probe, OnCanceled);
            loop.Cancel(c);
            loop.Run(RunMode.UntilDone);
        }

        var elapsed = Stopwatch.GetElapsedTime(t0);
        long alloc = GC.GetTotalAllocatedBytes(true) - alloc0;
        return (rounds / elapsed.TotalSeconds, alloc / (double)rounds);
    }

    private static CallbackAction OnCanceled(Probe p, Loop loop, Completion c, in CompletionResult r)
    {
        if (r.IsCanceled)
        {
            p.Canceled++;
        }

        return CallbackAction.Disarm;
    }

    private sealed class Probe
    {
        public long Canceled;
    }
}
