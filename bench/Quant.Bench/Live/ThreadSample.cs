namespace Quant.Bench.Live;

/// <summary>
/// A snapshot of this process's threads from <c>/proc/self/task</c> (Linux only; empty elsewhere): per thread its name,
/// CPU time (schedstat's run time, in ns: utime/stime count 10 ms ticks, too coarse for an idle thread) and context
/// switches (voluntary + involuntary). The difference of two
/// snapshots says which thread used the CPU and how often each woke up — wake-ups per second do not depend on how
/// loaded the machine is, CPU percentages do.
/// </summary>
internal sealed class ThreadSample
{
    private const double TicksPerSecond = 1e9;

    private readonly Dictionary<int, (string Name, long CpuTicks, long Switches)> _threads = [];

    private ThreadSample()
    {
    }

    public static ThreadSample Take()
    {
        var sample = new ThreadSample();
        if (!Directory.Exists("/proc/self/task"))
        {
            return sample;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var tid = int.Parse(Path.GetFileName(dir), System.Globalization.CultureInfo.InvariantCulture);
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // "tid (comm) state ...": comm may hold spaces and parentheses, so split after the last ')'.
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                var name = stat[(open + 1)..close];
                var schedstat = File.ReadAllText(Path.Combine(dir, "schedstat"));
                var cpu = long.Parse(schedstat.AsSpan(0, schedstat.IndexOf(' ', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
                long switches = 0;
                foreach (var line in File.ReadLines(Path.Combine(dir, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        switches += long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }

                sample._threads[tid] = (name, cpu, switches);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // the thread ended while being read
            }
        }

        return sample;
    }

    /// <summary>Per thread name (threads of one name summed), what happened between <paramref name="before"/> and
    /// <paramref name="after"/>: CPU as % of one core and context switches per second, busiest first.</summary>
    public static List<(string Name, int Threads, double CpuPercent, double SwitchesPerSecond)> Diff(ThreadSample before, ThreadSample after, TimeSpan elapsed)
    {
        var byName = new Dictionary<string, (int Threads, long Cpu, long Switches)>();
        foreach (var (tid, now) in after._threads)
        {
            before._threads.TryGetValue(tid, out var then);
            var cpu = now.CpuTicks - then.CpuTicks;
            var switches = now.Switches - then.Switches;
            byName.TryGetValue(now.Name, out var sum);
            byName[now.Name] = (sum.Threads + 1, sum.Cpu + cpu, sum.Switches + switches);
        }

        var seconds = elapsed.TotalSeconds;
        return byName
            .Select(kv => (kv.Key, kv.Value.Threads, kv.Value.Cpu / TicksPerSecond / seconds * 100, kv.Value.Switches / seconds))
            .Where(t => t.Item3 > 0 || t.Item4 > 0)
            .OrderByDescending(t => t.Item4)
            .ToList();
    }

    /// <summary>Context switches per second of the threads named <paramref name="name"/>.</summary>
    public static double SwitchesPerSecond(List<(string Name, int Threads, double CpuPercent, double SwitchesPerSecond)> diff, string name) =>
        diff.Where(t => t.Name == name).Sum(t => t.SwitchesPerSecond);
}
