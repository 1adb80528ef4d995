using System.Text.Json;
using Quant.Cli;
using Trading.Live.Journal;
using Trading.Sim;
using Trading.Sim.Faults;
using Xunit.Abstractions;

namespace Quant.Tests.Reliability;

/// <summary>
/// Issue 15 item 7, the fault soak: <c>quant live</c> (in-process, the real command) trades the <see cref="ChurnStrategy"/>
/// against a simulator replaying 1,000 hourly candles at high speed (150,000×: 24 s of wall time) with every fault kind
/// switched on, then its journal and result are checked against the venue's truth (<see cref="ReliabilityInvariants"/>).
/// The simulator is paced, not stepped: lockstep waits for every market event, and a dropped or stalled stream loses
/// events by design. Rate limits count on the replay clock (<see cref="RateLimitMode.Replay"/>): at 300,000× the
/// wall-clock windows would refuse what no real run sends that fast; the ratelimit fault refuses at random instead.
/// ban=8: a client may have a few requests already in flight when a 429 arrives; eight inside its Retry-After is
/// ignoring it.
/// The counts by fault kind are printed (test output), with the tail of quant live's log.
/// --stop-timeout 60s: settling the last cancels goes through reconnects (lifetime=4s), lost answers and Retry-After
/// pauses; on a loaded machine (CI runs every test assembly at once on 2 cores) that can take longer than the default
/// 5 s, and a stop that times out leaves orders unsettled by design (it names them). The invariants are about what the
/// engine does, not how fast the machine lets it.
/// </summary>
public sealed class FaultSoakTests(ITestOutputHelper output)
{
    private const int History = 200;
    private const int Replay = 1000;
    private const double Speed = 150_000;

    /// <summary>Rounds at most. The simulator is paced on the wall clock, so a starved machine (CI runs every test
    /// assembly at once on 2 cores) gets fewer orders and faults through one round; the coverage asked for is summed
    /// over rounds, each with its own seed and checked against every invariant: a slow machine takes longer, proves the same.</summary>
    private const int MaxRounds = 3;

    /// <summary>Every kind the simulator has. Durations are wall time (the simulator is paced). ban=8 and skew are
    /// traps a correct client never springs (it honours Retry-After; it measures the server clock), so they count 0.</summary>
    private const string EveryFault =
        "drop=0.0002,drop-every=3000,stall=0.001:300ms,malformed=0.04,truncate=0.04,dup-exec=0.05,reorder-exec=0.05," +
        "delay-ack=0.05:200ms,reject=0.03,ratelimit=0.01:200ms,ban=8,unknown-outcome=0.02:0.5,lose-ack=0.01,lose-report=0.02," +
        "user-stall=0.005:500ms,cancel-race=0.1,lifetime=4s,skew=-1500ms";

    /// <summary>Kinds the venue decides whatever the client does: each must have been injected at least once.</summary>
    private static readonly string[] AlwaysInjected =
        ["drop", "stall", "malformed", "truncate", "dup-exec", "reorder-exec", "delay-ack", "reject", "ratelimit", "unknown-outcome",
         "lose-ack", "lose-report", "user-stall", "cancel-race", "lifetime"];

    [Fact]
    public async Task Live_engine_keeps_every_invariant_under_every_fault_kind()
    {
        var faults = new Dictionary<string, long>(StringComparer.Ordinal);
        var placed = 0;
        var rounds = 0;
        while (rounds < MaxRounds && !Covered(faults, placed))
        {
            // Each round its own seed, simulator and journal; every invariant is checked after each one.
            var venue = await RoundAsync($"seed={15 + rounds},{EveryFault}", rounds + 1);
            rounds++;
            foreach (var (kind, count) in venue.Faults)
            {
                faults[kind] = faults.GetValueOrDefault(kind) + count;
            }

            placed += venue.Placed.Count;
        }

        var total = faults.Values.Sum();
        output.WriteLine($"{rounds} round(s): {total} faults, {placed} orders placed");
        Assert.True(total >= 1000, $"only {total} faults injected in {rounds} rounds");
        var absent = AlwaysInjected.Where(k => faults.GetValueOrDefault(k) == 0).ToList();
        Assert.True(absent.Count == 0, $"fault kinds never injected in {rounds} rounds: {string.Join(", ", absent)}");
        Assert.True(placed >= 500, $"only {placed} orders reached the venue in {rounds} rounds");
    }

    private static bool Covered(Dictionary<string, long> faults, int placed) =>
        faults.Values.Sum() >= 1000 && placed >= 500 && AlwaysInjected.All(k => faults.GetValueOrDefault(k) > 0);

    private async Task<VenueTruth> RoundAsync(string faults, int round)
    {
        using var dir = new TempFolder();
        var journal = Path.Combine(dir.Path, "soak.db");
        var options = new SimOptions
        {
            Candles = RepoData.Candles(History + Replay),
            StartCandle = History,
            Speed = Speed,
            RateLimits = RateLimitMode.Replay,
            Faults = FaultSpec.Parse(faults),
        };
        await using var sim = await SimServer.StartAsync(options);
        sim.Pause(); // replay only once the engine listens (a few events may have gone out already: harmless)

        var stdout = new StringWriter();
        var stderr = new SignalingWriter("market streams connected");
        string[] args =
        [
            "live", "--sim-url", sim.RestUrl.ToString(), "--strategy-assembly", typeof(ChurnStrategy).Assembly.Location, "--strategy", "churn",
            "--journal", journal, "--out", dir.Path, "--duration", "28s", "--stop-timeout", "60s",
        ];
        var run = Task.Factory.StartNew(() => QuantCli.Run(args, stdout, stderr, new CliContext(QuantSettings.None)),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var first = await Task.WhenAny(stderr.Seen, run);
        if (first == stderr.Seen)
        {
            sim.Resume(Speed);
        }

        var exit = await run.WaitAsync(TimeSpan.FromMinutes(3));
        var venue = VenueTruth.Parse(sim.Truth());
        var state = JournalReader.Load(journal);
        output.WriteLine($"round {round}, faults injected by kind ({faults}):\n{venue.FaultTable()}");
        output.WriteLine(ReliabilityInvariants.Describe(venue, state));
        output.WriteLine($"quant live's log, last lines:\n{Tail(stderr.ToString())}");
        output.WriteLine($"market time reached {DateTimeOffset.FromUnixTimeMilliseconds(sim.MarketTime):u}, finished {venue.Finished}");

        Assert.True(exit == 0, $"quant live exit {exit}\n{Tail(stderr.ToString())}");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "summary.json")));
        // No crash and no give-up: the run ends because --duration says so, not because the venue ended it.
        Assert.True(summary.RootElement.GetProperty("stop_reason").GetString() == "Duration", $"stopped: {summary.RootElement.GetProperty("stop_reason")}\n{Tail(stderr.ToString())}");
        ReliabilityInvariants.AssertAll(venue, state, summary.RootElement);
        Assert.Equal(0, venue.Faults["ban"]);
        return venue;
    }

    private static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(30));
}
