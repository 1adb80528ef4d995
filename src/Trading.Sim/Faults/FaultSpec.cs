using System.Globalization;

namespace Trading.Sim.Faults;

/// <summary>
/// A parsed <c>--faults</c> spec: comma- or semicolon-separated <c>name=value</c> items. Probabilities are in [0, 1];
/// durations take ms, s, m or h. Each decision is a hash of (seed, kind, ordinal of the request or event it applies
/// to), so the same seed and the same requests give the same faults whatever else is connected and whatever the timing.
/// In lockstep (<see cref="SimOptions.Speed"/> 0) every duration counts on the replay clock, except Retry-After.
/// <list type="bullet">
/// <item><c>drop=p</c>: each outgoing frame aborts its connection. <c>drop-every=T</c> (or <c>=N</c> events): all
/// connections are aborted every T (wall time; replay time in lockstep) or every N market events.</item>
/// <item><c>stall=p:T</c>: a stream frame holds its connection for T. <c>delay-ack=p:T</c>: an order.place reply is
/// held for T (its user events are not).</item>
/// <item><c>reject=p</c>: order.place refused with -2010. <c>ratelimit=p[:T]</c>: a request refused with -1003 / 429,
/// Retry-After T (default 1 s). <c>ban=N</c>: after N requests inside one Retry-After (a 429 after an expired back-off counts afresh; only requests arriving after the 429 reached the client's socket count), 418 and connections closed.</item>
/// <item><c>unknown-outcome=p[:q]</c>: order.place answered 503 / -1007; the order was placed with probability q
/// (default 1). <c>lose-ack=p</c>: the order is placed but its reply never sent.</item>
/// <item><c>lose-report=p</c>, <c>dup-exec=p</c>, <c>reorder-exec=p</c>: an executionReport is not sent, sent twice, or
/// sent after the next user event. <c>user-stall=p:T</c>: at a user event, the user-data stream goes quiet for T.</item>
/// <item><c>cancel-race=p</c>: a cancel of an open order arrives just after it filled (the fill wins; -2011).</item>
/// <item><c>lifetime=T</c>: connections are closed T after they opened. <c>skew=T</c>: the server clock runs T ahead
/// (negative: behind).</item>
/// <item><c>malformed=p</c>, <c>truncate=p</c>: a stream frame replaced by non-JSON text, or cut in half (synthetic).</item>
/// </list>
/// </summary>
public sealed record FaultSpec
{
    public int Seed { get; init; }

    public double Drop { get; init; }

    public TimeSpan DropEvery { get; init; }

    /// <summary><c>drop-every=N</c>: every N market events (0: off).</summary>
    public long DropEveryEvents { get; init; }

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

    /// <summary>The Retry-After a ratelimit fault gives (default 1 s, wall time: a client honours it in real time).</summary>
    public TimeSpan RateLimitRetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    public double UnknownOutcome { get; init; }

    /// <summary>The probability that an unknown-outcome order was placed anyway (default 1).</summary>
    public double UnknownOutcomePlaced { get; init; } = 1;

    public double LoseAck { get; init; }

    public double LoseReport { get; init; }

    public double UserStall { get; init; }

    public TimeSpan UserStallFor { get; init; }

    public double CancelRace { get; init; }

    /// <summary><c>ban=N</c>: requests that ignored a Retry-After before the ban (0: never banned).</summary>
    public int BanAfter { get; init; }

    /// <summary>How long a ban lasts (Binance's shortest: 2 minutes, wall time).</summary>
    public TimeSpan BanFor { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan Lifetime { get; init; }

    public TimeSpan Skew { get; init; }

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
                "drop-every" => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    ? result with { DropEveryEvents = n > 0 ? n : throw Bad(raw, "a positive number of events or a duration") }
                    : result with { DropEvery = Duration(raw, value) },
                "stall" => result with { Stall = Probability(raw, Before(value)), StallFor = Duration(raw, After(raw, value)) },
                "malformed" => result with { Malformed = Probability(raw, value) },
                "truncate" => result with { Truncate = Probability(raw, value) },
                "dup-exec" => result with { DuplicateExecutionReport = Probability(raw, value) },
                "reorder-exec" => result with { ReorderExecutionReport = Probability(raw, value) },
                "delay-ack" => result with { DelayAck = Probability(raw, Before(value)), DelayAckBy = Duration(raw, After(raw, value)) },
                "reject" => result with { Reject = Probability(raw, value) },
                "ratelimit" => result with
                {
                    RateLimit = Probability(raw, Before(value)),
                    RateLimitRetryAfter = Optional(raw, value) is { } t ? Duration(raw, t) : TimeSpan.FromSeconds(1),
                },
                "unknown-outcome" => result with
                {
                    UnknownOutcome = Probability(raw, Before(value)),
                    UnknownOutcomePlaced = Optional(raw, value) is { } q ? Probability(raw, q) : 1,
                },
                "lose-ack" => result with { LoseAck = Probability(raw, value) },
                "lose-report" => result with { LoseReport = Probability(raw, value) },
                "user-stall" => result with { UserStall = Probability(raw, Before(value)), UserStallFor = Duration(raw, After(raw, value)) },
                "cancel-race" => result with { CancelRace = Probability(raw, value) },
                "ban" => result with
                {
                    BanAfter = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b > 0 ? b : throw Bad(raw, "a positive count"),
                },
                "lifetime" => result with { Lifetime = Duration(raw, value) },
                "skew" => result with { Skew = value.StartsWith('-') ? -Duration(raw, value[1..]) : Duration(raw, value) },
                _ => throw new FormatException(
                    $"unknown fault '{name}' (known: seed, drop, drop-every, stall, delay-ack, reject, ratelimit, ban, unknown-outcome, lose-ack, " +
                    "lose-report, dup-exec, user-stall, cancel-race, lifetime, skew, malformed, truncate, reorder-exec)"),
            };
        }

        return result;
    }

    private static string Before(string value) => value.Split(':')[0];

    private static string After(string raw, string value) =>
        value.Split(':') is [_, var t] ? t : throw Bad(raw, "p:duration, e.g. 0.1:2s");

    private static string? Optional(string raw, string value) => value.Split(':') switch
    {
        [_] => null,
        [_, var t] => t,
        _ => throw Bad(raw, "p or p:value"),
    };

    private static double Probability(string raw, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1
            ? p
            : throw Bad(raw, "a probability in [0, 1]");

    private static TimeSpan Duration(string raw, string value)
    {
        var (number, scale) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 1.0)
            : value.EndsWith('s') ? (value[..^1], 1000.0)
            : value.EndsWith('m') ? (value[..^1], 60_000.0)
            : value.EndsWith('h') ? (value[..^1], 3_600_000.0)
            : (value, double.NaN);
        return !double.IsNaN(scale) && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0
            ? TimeSpan.FromMilliseconds(n * scale)
            : throw Bad(raw, "a positive duration such as 200ms, 2s, 1m or 24h");
    }

    private static FormatException Bad(string raw, string expected) => new($"fault '{raw}': expected {expected}");
}
