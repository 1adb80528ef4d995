using System.Buffers.Binary;
using System.IO.Hashing;

namespace Trading.Sim.Faults;

/// <summary>
/// Decides which faults to inject. Every decision is a pure function of (seed, fault kind, ordinal of the request or
/// event it applies to[, which connection]): an XxHash3 of those, seeded with <see cref="FaultSpec.Seed"/>, read as a
/// number in [0, 1) and compared with the probability. No shared random stream: one more stream client, or another
/// interleaving of threads, changes nothing about which order is rejected or which report is lost. The ordinals are
/// taken by the exchange under its lock. <see cref="Counts"/> may be read from any thread.
/// </summary>
public sealed class FaultInjector
{
    private static readonly FaultKind[] Kinds = Enum.GetValues<FaultKind>();
    private readonly long[] _counts = new long[Kinds.Length];

    public FaultInjector(FaultSpec spec)
    {
        Spec = spec;
    }

    public FaultSpec Spec { get; }

    /// <summary>How many of each fault were injected so far.</summary>
    public IReadOnlyDictionary<FaultKind, long> Counts => Kinds.ToDictionary(k => k, k => Interlocked.Read(ref _counts[(int)k]));

    /// <summary>Malformed, truncated and reordered frames: Binance's WebSocket framing never does them.</summary>
    public static bool IsSynthetic(FaultKind kind) => kind is FaultKind.Malformed or FaultKind.Truncated or FaultKind.ReorderExecutionReport;

    /// <summary>The spec's name of a kind ("drop", "unknown-outcome", …), as used in <c>--faults</c> and <c>/sim/faults</c>.</summary>
    public static string Name(FaultKind kind) => kind switch
    {
        FaultKind.Drop => "drop",
        FaultKind.Stall => "stall",
        FaultKind.DelayAck => "delay-ack",
        FaultKind.Reject => "reject",
        FaultKind.RateLimit => "ratelimit",
        FaultKind.DuplicateExecutionReport => "dup-exec",
        FaultKind.UnknownOutcome => "unknown-outcome",
        FaultKind.LoseAck => "lose-ack",
        FaultKind.LoseReport => "lose-report",
        FaultKind.UserStall => "user-stall",
        FaultKind.CancelRace => "cancel-race",
        FaultKind.Ban => "ban",
        FaultKind.Lifetime => "lifetime",
        FaultKind.Skew => "skew",
        FaultKind.Malformed => "malformed",
        FaultKind.Truncated => "truncate",
        _ => "reorder-exec",
    };

    /// <summary>
    /// The counts as JSON: <c>{"drop":n,…,"synthetic":{"malformed":n,"truncate":n,"reorder-exec":n}}</c>, venue faults
    /// (kind → count) first, the synthetic ones apart (what <c>GET /sim/faults</c> answers).
    /// </summary>
    public byte[] ToJson() => Api.BinanceJson.Build(w =>
    {
        var counts = Counts;
        w.WriteStartObject();
        foreach (var k in Kinds.Where(k => !IsSynthetic(k)))
        {
            w.WriteNumber(Name(k), counts[k]);
        }

        w.WriteStartObject("synthetic");
        foreach (var k in Kinds.Where(IsSynthetic))
        {
            w.WriteNumber(Name(k), counts[k]);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>One line for the command's report, e.g. "drop=2 … ; synthetic: malformed=0 truncate=0 reorder-exec=0".</summary>
    public string Summary()
    {
        var counts = Counts;
        return string.Join(' ', Kinds.Where(k => !IsSynthetic(k)).Select(k => $"{Name(k)}={counts[k]}"))
            + "; synthetic: " + string.Join(' ', Kinds.Where(IsSynthetic).Select(k => $"{Name(k)}={counts[k]}"));
    }

    /// <summary>True (and counted) when the fault <paramref name="kind"/> hits the thing with this ordinal.</summary>
    internal bool Decide(FaultKind kind, double probability, long ordinal, long connection = 0)
    {
        if (probability <= 0 || (probability < 1 && Draw(kind, ordinal, connection) >= probability))
        {
            return false;
        }

        Count(kind);
        return true;
    }

    /// <summary>Whether the fault hits, without counting it: for a fault that takes effect only in some states (the
    /// caller counts it when it does).</summary>
    internal bool Hits(FaultKind kind, double probability, long ordinal) =>
        probability >= 1 || (probability > 0 && Draw(kind, ordinal, 0) < probability);

    /// <summary>A second, independent draw for the same thing (e.g. whether an unknown-outcome order was placed); not counted.</summary>
    internal bool DecideAlso(FaultKind kind, double probability, long ordinal) =>
        probability >= 1 || (probability > 0 && Draw(kind, ordinal, -1) < probability);

    internal void Count(FaultKind kind, long n = 1) => Interlocked.Add(ref _counts[(int)kind], n);

    private double Draw(FaultKind kind, long ordinal, long connection)
    {
        Span<byte> key = stackalloc byte[20];
        BinaryPrimitives.WriteInt32LittleEndian(key, (int)kind);
        BinaryPrimitives.WriteInt64LittleEndian(key[4..], ordinal);
        BinaryPrimitives.WriteInt64LittleEndian(key[12..], connection);
        var h = XxHash3.HashToUInt64(key, Spec.Seed);
        return (h >> 11) * (1.0 / (1UL << 53));
    }
}
