using System.Text.Json;
using System.Text.RegularExpressions;
using Trading.Live.Journal;
using Xunit.Abstractions;

namespace Quant.Tests.Reliability;

/// <summary>
/// Issue 15 item 8, the crash test: one long-running <c>quant sim --speed 0</c> (the venue survives), and
/// <c>quant live --lockstep --sim-url … --journal J</c> killed with SIGKILL at seeded random moments — right after a
/// candle (the strategy is submitting: intents being written, orders between intent and send), right after an order
/// event (others in flight) or right after a fill (the journal mid-transaction) — and restarted on the same journal each
/// time, 20 times. A last run reconciles, trades on, and is stopped with SIGTERM; then the venue's truth, the journal and
/// that run's summary must keep <see cref="ReliabilityInvariants"/>. bench/crash-soak.sh does the same 200 times.
/// </summary>
public sealed partial class CrashTests(ITestOutputHelper output)
{
    private const int Kills = 20;
    private const int Seed = 20_261_202;
    private const int History = 50;
    private const int Replay = 1500;
    private static readonly string[] Moments = ["candle", "order", "fill"];
    private static readonly TimeSpan Safety = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Stalled = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"REST\s+(http://127\.0\.0\.1:\d+)/api/v3")]
    private static partial Regex RestLine();

    [GeneratedRegex(@"reconciliation: (\d+) journalled orders checked, (\d+) settled, (\d+) unknown at the venue")]
    private static partial Regex ReconcileLine();

    /// <summary>Restart reconciliation totals over all runs, from the report each run prints before trading.</summary>
    private sealed class Reconciled
    {
        public int Runs;
        public int Settled;
        public int Unknown;
        public int MissingFillLines;

        public void Note(string line)
        {
            if (ReconcileLine().Match(line) is { Success: true } m)
            {
                Runs++;
                Settled += int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                Unknown += int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.Contains("missing fills booked", StringComparison.Ordinal))
            {
                MissingFillLines++;
            }
        }
    }

    /// <summary>
    /// A run's stdout lines; a run that prints nothing for <see cref="Stalled"/> (in lockstep every market event makes
    /// lines, so silence is a stall) is killed and fails the test with what it printed last and where the simulator
    /// stands — a safety net so a stall cannot hang <c>dotnet test</c>, not a timing assertion.
    /// </summary>
    private static async IAsyncEnumerable<string> Watched(LiveProcess live, string url, string name)
    {
        var recent = new Queue<string>();
        using var quiet = new CancellationTokenSource(Stalled);
        await using var lines = live.Lines(quiet.Token).GetAsyncEnumerator(quiet.Token);
        while (true)
        {
            bool more;
            try
            {
                more = await lines.MoveNextAsync();
            }
            catch (OperationCanceledException)
            {
                live.KillHard();
                using var http = new HttpClient();
                http.DefaultRequestHeaders.Add("X-MBX-APIKEY", Trading.Sim.SimOptions.DefaultApiKey);
                var state = await http.GetStringAsync(new Uri($"{url}/sim/state"));
                throw new Xunit.Sdk.XunitException($"{name} printed nothing for {Stalled.TotalSeconds} s (a lockstep stall); simulator {state}; its last lines:\n{string.Join('\n', recent)}\n{live.Stderr}");
            }

            if (!more)
            {
                yield break;
            }

            recent.Enqueue(lines.Current);
            if (recent.Count > 12)
            {
                recent.Dequeue();
            }

            quiet.CancelAfter(Stalled);
            yield return lines.Current;
        }
    }

    [Fact]
    public async Task Sigkill_at_random_moments_then_restart_loses_and_duplicates_nothing()
    {
        using var dir = new TempFolder();
        var data = Path.Combine(dir.Path, "btc.csv");
        File.WriteAllLines(data, File.ReadLines(RepoData.Btc1h).Take(1 + History + Replay));
        var journal = Path.Combine(dir.Path, "crash.db");
        var outDir = Path.Combine(dir.Path, "last");
        using var sim = new LiveProcess("sim", "--data", data, "--warmup", History.ToString(System.Globalization.CultureInfo.InvariantCulture), "--speed", "0", "--port", "0");
        var rest = await sim.WaitForLineAsync(l => RestLine().IsMatch(l), Safety) ?? throw new Xunit.Sdk.XunitException($"quant sim did not start:\n{sim.Stderr}");
        var url = RestLine().Match(rest).Groups[1].Value;
        Assert.NotNull(await sim.WaitForLineAsync(l => l.StartsWith("Ctrl-C", StringComparison.Ordinal), Safety));

        string[] Live(params string[] extra) =>
            ["live", "--sim-url", url, "--lockstep", "--journal", journal, "--param", "fast=2,slow=3", "--json-events", .. extra];

        var random = new Random(Seed);
        var killedAfter = Moments.ToDictionary(m => m, _ => 0);
        var kills = 0;
        var reconciled = new Reconciled();
        var restartsOnOrders = 0; // restarts on a journal that held orders: each must reconcile before trading
        while (kills < Kills)
        {
            restartsOnOrders += kills > 0 && JournalReader.Load(journal).Orders.Count > 0 ? 1 : 0;
            var moment = Moments[random.Next(Moments.Length)];
            var nth = random.Next(1, 16);
            using var live = new LiveProcess(Live());
            var seen = 0;
            var killed = false;
            await foreach (var line in Watched(live, url, $"run {kills + 1}"))
            {
                reconciled.Note(line);
                if (line.Contains($"\"type\":\"{moment}\"", StringComparison.Ordinal) && ++seen == nth)
                {
                    live.KillHard();
                    killed = true;
                    break;
                }
            }

            var exit = await live.WaitForExitAsync(Safety);
            Assert.True(killed, $"run {kills + 1} ended by itself (exit {exit}) before its {nth}th {moment}: the data is too short, or it failed\n{live.Stderr}");
            Assert.Equal(137, exit); // 128 + SIGKILL
            killedAfter[moment]++;
            kills++;
        }

        // The last run: reconciles what the kills left, trades a while, and stops gracefully.
        restartsOnOrders += JournalReader.Load(journal).Orders.Count > 0 ? 1 : 0;
        using (var last = new LiveProcess(Live("--out", outDir)))
        {
            var candles = 0;
            await foreach (var line in Watched(last, url, "the last run"))
            {
                reconciled.Note(line);
                if (line.Contains("\"type\":\"candle\"", StringComparison.Ordinal) && ++candles == 20)
                {
                    last.Terminate();
                    break;
                }
            }

            var exit = await last.WaitForExitAsync(Safety);
            Assert.True(exit == 0, $"the run after the last kill: exit {exit}\n{last.Stderr}");
        }

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-MBX-APIKEY", Trading.Sim.SimOptions.DefaultApiKey);
        var venue = VenueTruth.Parse(await http.GetStringAsync(new Uri($"{url}/sim/truth")));
        sim.Terminate();
        Assert.Equal(0, await sim.WaitForExitAsync(Safety));
        var state = JournalReader.Load(journal);
        output.WriteLine($"SIGKILLs {kills} (seed {Seed}): right after a candle {killedAfter["candle"]}, an order event {killedAfter["order"]}, a fill {killedAfter["fill"]}; then one run stopped by SIGTERM");
        output.WriteLine(ReliabilityInvariants.Describe(venue, state));
        var neverSent = state.Orders.Count(o => !venue.Placements.ContainsKey(o.ClientOrderId));
        output.WriteLine($"restart reconciliation ran {reconciled.Runs} times: {reconciled.Settled} orders settled ({reconciled.MissingFillLines} with missing fills booked), {reconciled.Unknown} unknown at the venue; intents killed before they were sent: {neverSent}");
        output.WriteLine(JsonSerializer.Serialize(new
        {
            test = "crash",
            kills,
            killed_after_candle = killedAfter["candle"],
            killed_after_order = killedAfter["order"],
            killed_after_fill = killedAfter["fill"],
            orders_placed = venue.Placed.Count,
            order_place_requests = venue.OrderPlaceRequests,
            trades = venue.Trades.Count,
            journal_intents = state.Orders.Count,
            intents_never_sent = neverSent,
            reconciliations = reconciled.Runs,
            settled_by_reconciliation = reconciled.Settled,
            settled_with_missing_fills = reconciled.MissingFillLines,
        }));

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.True(reconciled.Runs == restartsOnOrders, $"restart reconciliation reported {reconciled.Runs} times, but {restartsOnOrders} restarts began on a journal holding orders");
        Assert.True(venue.Placed.Count >= Kills, $"only {venue.Placed.Count} orders reached the venue across {kills} runs");
        ReliabilityInvariants.AssertAll(venue, state, summary.RootElement);
    }
}
