using System.Globalization;

namespace Trading.Sim.Faults;

/// <summary>
/// A parsed <c>--faults</c> spec: comma- or semicolon-separated <c>name=value</c> items, e.g.
/// <c>seed=7,drop=0.01,drop-every=30s,stall=0.02:2s,malformed=0.01,truncate=0.01,dup-exec=0.1,reorder-exec=0.1,
/// delay-ack=0.5:200ms,reject=0.05,ratelimit=0.02</c>. Probabilities are in [0, 1]; durations take ms, s or m.
/// <list type="bullet">
/// <item><c>drop=p</c>: each outgoing frame aborts its connection with probability p.
/// <c>drop-every=T</c>: every T of wall time (checked at each market step) all connections are aborted.</item>
/// <item><c>stall=p:T</c>: each outgoing stream frame stalls its connection for T with probability p.</item>
/// <item><c>malformed=p</c>, <c>truncate=p</c>: each outgoing stream frame is replaced by non-JSON text, or cut in half.</item>
/// <item><c>dup-exec=p</c>, <c>reorder-exec=p</c>: each executionReport is sent twice, or after the next user event.</item>
/// <item><c>delay-ack=p:T</c>: each order.place reply is delayed by T (its user events are not).</item>
/// <item><c>reject=p</c>: each order.place is rejected with -2010; <c>ratelimit=p</c>: each request gets -1003 (429).</item>
/// </list>
/// The same seed and the same sequence of requests and market steps inject the same faults.
/// </summary>
public sealed record FaultSpec
{
    public int Seed { get; init; }

    public double Drop { get; init; }

    public TimeSpan DropEvery { get; init; }

    public double Stall { get; init; }

    public TimeSpan StallFor { get; init; }

    public double Malformed { get; init; }

    public double Truncate { get; init; }

    public double DuplicateExecutionReport { get; init; }

    public double ReorderExecutionReport { get; init; }

    public double DelayAck { get; init; }

    public TimeSpan DelayAckBy { get; init; }

    public double Reject { get; init; }

    public double RateLimit { get; init; }

    public static FaultSpec None { get; } = new();

    /// <summary>Parses a spec; throws <see cref="FormatException"/> with one line naming the bad item.</summary>
    public static FaultSpec Parse(string spec)
    {
        var result = new FaultSpec();
        foreach (var raw in spec.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = raw.IndexOf('=');
            if (eq <= 0)
            {
                throw new FormatException($"fault '{raw}' is not name=value");
            }

            var name = raw[..eq];
            var value = raw[(eq + 1)..];
            result = name switch
            {
                "seed" => result with { Seed = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : throw Bad(raw, "an integer") },
                "drop" => result with { Drop = Probability(raw, value) },
                "drop-every" => result with { DropEvery = Duration(raw, value) },
                "stall" => result with { Stall = Probability(raw, Before(value)), StallFor = Duration(raw, After(raw, value)) },
                "malformed" => result with { Malformed = Probability(raw, value) },
                "truncate" => result with { Truncate = Probability(raw, value) },
                "dup-exec" => result with { DuplicateExecutionReport = Probability(raw, value) },
                "reorder-exec" => result with { ReorderExecutionReport = Probability(raw, value) },
                "delay-ack" => result with { DelayAck = Probability(raw, Before(value)), DelayAckBy = Duration(raw, After(raw, value)) },
                "reject" => result with { Reject = Probability(raw, value) },
                "ratelimit" => result with { RateLimit = Probability(raw, value) },
                _ => throw new FormatException(
                    $"unknown fault '{name}' (known: seed, drop, drop-every, stall, malformed, truncate, dup-exec, reorder-exec, delay-ack, reject, ratelimit)"),
            };
        }

        return result;
    }

    private static string Before(string value) => value.Split(':')[0];

    private static string After(string raw, string value) =>
        value.Split(':') is [_, var t] ? t : throw Bad(raw, "p:duration, e.g. 0.1:2s");

    private static double Probability(string raw, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1
            ? p
            : throw Bad(raw, "a probability in [0, 1]");

    private static TimeSpan Duration(string raw, string value)
    {
        var (number, scale) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 1.0)
            : value.EndsWith('s') ? (value[..^1], 1000.0)
            : value.EndsWith('m') ? (value[..^1], 60_000.0)
            : (value, double.NaN);
        return !double.IsNaN(scale) && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0
            ? TimeSpan.FromMilliseconds(n * scale)
            : throw Bad(raw, "a positive duration such as 200ms, 2s or 1m");
    }

    private static FormatException Bad(string raw, string expected) => new($"fault '{raw}': expected {expected}");
}
