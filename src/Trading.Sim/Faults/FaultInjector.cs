namespace Trading.Sim.Faults;

/// <summary>
/// Decides which faults to inject, from one seeded <see cref="Random"/>. Every decision is taken under the exchange
/// lock, in the order requests and market steps are processed, so a run is reproducible; a probability of 0 draws
/// nothing. <see cref="Counts"/> may be read from any thread.
/// </summary>
public sealed class FaultInjector
{
    private readonly Random _random;
    private readonly long[] _counts = new long[Enum.GetValues<FaultKind>().Length];
    private long _lastDropAll;

    public FaultInjector(FaultSpec spec, long startWallMs)
    {
        Spec = spec;
        _random = new Random(spec.Seed);
        _lastDropAll = startWallMs;
    }

    public FaultSpec Spec { get; }

    /// <summary>How many of each fault were injected so far.</summary>
    public IReadOnlyDictionary<FaultKind, long> Counts =>
        Enum.GetValues<FaultKind>().ToDictionary(k => k, k => Interlocked.Read(ref _counts[(int)k]));

    /// <summary>The counts as a JSON object, kind → count (what <c>GET /sim/faults</c> answers).</summary>
    public byte[] ToJson() => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Counts.ToDictionary(k => k.Key.ToString(), k => k.Value));

    /// <summary>One line, e.g. "drop=2 stall=0 …", for the command's report.</summary>
    public string Summary() => string.Join(' ', Counts.Select(c => $"{c.Key}={c.Value}"));

    internal bool Roll(FaultKind kind, double probability)
    {
        if (probability <= 0 || _random.NextDouble() >= probability)
        {
            return false;
        }

        Count(kind);
        return true;
    }

    internal void Count(FaultKind kind, long n = 1) => Interlocked.Add(ref _counts[(int)kind], n);

    /// <summary>True when drop-every is set and its period has passed since the last drop-all.</summary>
    internal bool DropAllDue(long wallMs)
    {
        if (Spec.DropEvery <= TimeSpan.Zero || wallMs - _lastDropAll < (long)Spec.DropEvery.TotalMilliseconds)
        {
            return false;
        }

        _lastDropAll = wallMs;
        return true;
    }
}
