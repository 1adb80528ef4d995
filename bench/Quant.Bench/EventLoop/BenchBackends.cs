using EventLoop;

namespace Quant.Bench.EventLoopBench;

/// <summary>
/// The loop backends a benchmark runs on, in the same process: every backend this machine accepts (io_uring, epoll,
/// the runtime's engine), ordered so that the one <see cref="LoopBackend.Auto"/> picks comes last (its JSON line is the
/// benchmark's last). Arguments: <c>backend=IoUring</c> (or a comma list) restricts the set; <c>quick</c> shortens
/// warm-up and window to check that a benchmark runs (figures from it mean nothing).
/// </summary>
internal static class BenchBackends
{
    public static (IReadOnlyList<LoopBackend> Backends, LoopBackend Auto, string? Refusals) Resolve(string[] args)
    {
        LoopBackend auto;
        using (var probe = new Loop())
        {
            auto = probe.Backend;
        }

        var wanted = args.FirstOrDefault(a => a.StartsWith("backend=", StringComparison.Ordinal)) is { } spec
            ? spec["backend=".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Enum.Parse<LoopBackend>(s, ignoreCase: true)).ToList()
            : [LoopBackend.IoUring, LoopBackend.Epoll, LoopBackend.Runtime];
        var available = new List<LoopBackend>();
        var refusals = new List<string>();
        foreach (var b in wanted)
        {
            try
            {
                using var loop = new Loop(new LoopOptions { Backend = b });
                available.Add(b);
            }
            catch (NotSupportedException e)
            {
                refusals.Add(e.Message);
            }
        }

        available = available.OrderBy(b => b == auto ? 1 : 0).ToList();
        return (available, auto, refusals.Count == 0 ? null : string.Join("; ", refusals));
    }

    /// <summary>Warm-up and window: the defaults, <c>quick</c>'s short ones, or <c>window=S</c> (seconds) for the window.</summary>
    public static (TimeSpan Warmup, TimeSpan Window) Durations(string[] args, TimeSpan warmup, TimeSpan window)
    {
        if (args.Contains("quick"))
        {
            return (TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300));
        }

        return args.FirstOrDefault(a => a.StartsWith("window=", StringComparison.Ordinal)) is { } w
            ? (warmup, TimeSpan.FromSeconds(double.Parse(w["window=".Length..], System.Globalization.CultureInfo.InvariantCulture)))
            : (warmup, window);
    }
}
