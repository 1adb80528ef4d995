using System.Text.Json;
using Npgsql;

namespace Trading.Study.Tests;

/// <summary>
/// End-to-end: real <c>quant optimize</c> processes against a study in a throwaway PostgreSQL cluster give exactly
/// the trials and results of one single-process run, survive a worker killed mid-study, and refuse a different
/// definition.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedStudyTests(ClusterFixture fixture) : IDisposable
{
    private readonly StudyFiles _files = new();

    private string[] GridArgs => ["optimize", "--strategy", "sma-cross", "--data", _files.Candles, "--grid", "fast=4:20:2", "--grid", "slow=20:60:10", "--where", "fast < slow"];

    private string[] TpeArgs => ["optimize", "--strategy", "sma-cross", "--data", _files.Candles, "--grid", "fast=2:40:1", "--grid", "slow=10:120:2", "--where", "fast < slow",
        "--search", "tpe", "--trials", "24", "--batch", "4", "--seed", "7"];

    public void Dispose() => _files.Dispose();

    [PostgresTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Grid_study_with_N_processes_equals_a_single_process_run(int processes)
    {
        await AssertStudyEqualsSingleRun(GridArgs, processes, "grid");
    }

    [PostgresFact]
    public async Task Tpe_study_with_three_processes_equals_a_single_process_run()
    {
        await AssertStudyEqualsSingleRun(TpeArgs, 3, "tpe");
    }

    [PostgresFact]
    public async Task Killed_worker_claims_return_to_the_queue_after_the_heartbeat_and_count_once()
    {
        var url = fixture.Cluster.CreateDatabase("kill");
        var single = await Single(GridArgs, "single");

        // Hold back every result write (trial_values) so the first worker is caught between its claim and its result.
        using (var setup = PostgresCluster.Connect(url))
        {
            OptunaSchema.Ensure(setup);
        }

        var gate = PostgresCluster.Connect(url);
        var hold = gate.BeginTransaction();
        Exec(gate, hold, "LOCK TABLE trial_values IN SHARE MODE");
        using (var victim = QuantProcess.Start(_files.Directory, [.. GridArgs, "--study", url, "--study-name", "k", "--threads", "1", "--log-trials", "--json"]))
        {
            await victim.WaitForLine(l => l.Contains("trial 0 claimed by", StringComparison.Ordinal));
            victim.Kill();
            await victim.ExitAsync();
        }

        hold.Rollback();
        gate.Dispose();
        Assert.Equal("RUNNING", Scalar<string>(url, "SELECT state::text FROM trials WHERE number = 0"));

        var worker = await QuantProcess.RunAsync(_files.Directory, [.. GridArgs, "--study", url, "--study-name", "k", "--worker", "--heartbeat", "1s", "--threads", "2", "--log-trials"]);
        Assert.True(worker.ExitCode == 0, worker.Stderr);
        Assert.Contains("trial 0 returned to the queue", worker.Stderr, StringComparison.Ordinal);

        var join = await QuantProcess.RunAsync(_files.Directory, [.. GridArgs, "--study", url, "--study-name", "k", "--json", "--out", _files.PathOf("joined")]);
        Assert.True(join.ExitCode == 0, join.Stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(single.Out, "results.csv")), File.ReadAllText(_files.PathOf("joined/results.csv")));
        var n = single.Runs;
        Assert.Equal(n, Scalar<long>(url, "SELECT count(*) FROM trials"));
        Assert.Equal(n, Scalar<long>(url, "SELECT count(DISTINCT number) FROM trials WHERE state = 'COMPLETE'"));
        Assert.Equal(n, Scalar<long>(url, "SELECT count(*) FROM trial_values"));
        Assert.Equal(0L, Scalar<long>(url, "SELECT count(*) FROM trial_heartbeats"));
    }

    [PostgresFact]
    public async Task A_different_definition_is_refused_with_one_line()
    {
        var url = fixture.Cluster.CreateDatabase("refuse");
        string[] random = [.. GridArgs, "--search", "random", "--samples", "5", "--study", url, "--study-name", "r", "--threads", "1", "--json"];
        var first = await QuantProcess.RunAsync(_files.Directory, random);
        Assert.True(first.ExitCode == 0, first.Stderr);

        var again = await QuantProcess.RunAsync(_files.Directory, random);
        Assert.True(again.ExitCode == 0, again.Stderr);

        var other = await QuantProcess.RunAsync(_files.Directory, [.. random, "--seed", "2"]);
        Assert.Equal(1, other.ExitCode);
        var line = Assert.Single(other.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("study 'r' exists with a different definition (search differ)", line, StringComparison.Ordinal);

        File.WriteAllLines(_files.PathOf("fewer.csv"), File.ReadLines(_files.Candles).Take(500));
        var data = await QuantProcess.RunAsync(_files.Directory, [.. random.Select(a => a == _files.Candles ? _files.PathOf("fewer.csv") : a)]);
        Assert.Equal(1, data.ExitCode);
        Assert.Contains("(data differ)", data.Stderr, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_worker_waits_for_the_study_and_gives_up_with_one_line()
    {
        var url = fixture.Cluster.CreateDatabase("absent");
        var r = await QuantProcess.RunAsync(_files.Directory, [.. GridArgs, "--study", url, "--study-name", "nobody", "--worker", "--wait", "300ms"]);
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("study 'nobody' does not exist", line, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Status_counts_the_trials_and_names_the_best()
    {
        var url = fixture.Cluster.CreateDatabase("status");
        var single = await Single(GridArgs, "single");
        var run = await QuantProcess.RunAsync(_files.Directory, [.. GridArgs, "--study", url, "--study-name", "s", "--threads", "2", "--json"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var status = await QuantProcess.RunAsync(_files.Directory, "optimize", "--study", url, "--study-name", "s", "--status", "--json");
        Assert.True(status.ExitCode == 0, status.Stderr);
        using var s = JsonDocument.Parse(status.Stdout);
        Assert.Equal(single.Runs, s.RootElement.GetProperty("done").GetInt32());
        Assert.Equal(0, s.RootElement.GetProperty("queued").GetInt32());
        Assert.True(s.RootElement.GetProperty("finished").GetBoolean());
        Assert.Equal(single.Best.GetProperty("index").GetInt32(), s.RootElement.GetProperty("best_trial").GetInt32());
        Assert.Equal(single.Best.GetProperty("score").GetDouble(), s.RootElement.GetProperty("best_value").GetDouble());
    }

    private async Task AssertStudyEqualsSingleRun(string[] args, int processes, string name)
    {
        var url = fixture.Cluster.CreateDatabase(name);
        var single = await Single(args, "single");

        var study = _files.PathOf("study");
        var runs = new List<Task<(int ExitCode, string Stdout, string Stderr)>>
        {
            QuantProcess.RunAsync(_files.Directory, [.. args, "--study", url, "--study-name", name, "--threads", "1", "--json", "--out", study]),
        };
        for (var i = 1; i < processes; i++)
        {
            // The last worker is bare: it takes the strategy, data and search arguments from the study itself.
            string[] own = i == processes - 1 ? ["optimize"] : args;
            runs.Add(QuantProcess.RunAsync(_files.Directory, [.. own, "--study", url, "--study-name", name, "--worker", "--threads", "1"]));
        }

        var results = await Task.WhenAll(runs);
        foreach (var r in results)
        {
            Assert.True(r.ExitCode == 0, r.Stderr);
        }

        Assert.Equal(File.ReadAllText(Path.Combine(single.Out, "results.csv")), File.ReadAllText(Path.Combine(study, "results.csv")));
        using var doc = JsonDocument.Parse(results[0].Stdout);
        Assert.Equal(single.Best.GetRawText(), doc.RootElement.GetProperty("best").GetRawText());
        Assert.Equal(single.Runs, doc.RootElement.GetProperty("runs").GetInt32());
    }

    private async Task<(string Out, int Runs, JsonElement Best)> Single(string[] args, string folder)
    {
        var dir = _files.PathOf(folder);
        var r = await QuantProcess.RunAsync(_files.Directory, [.. args, "--threads", "2", "--json", "--out", dir]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var root = JsonDocument.Parse(r.Stdout).RootElement;
        return (dir, root.GetProperty("runs").GetInt32(), root.GetProperty("best").Clone());
    }

    private static void Exec(NpgsqlConnection connection, NpgsqlTransaction tx, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, tx);
        command.ExecuteNonQuery();
    }

    private static T Scalar<T>(string url, string sql)
    {
        using var connection = PostgresCluster.Connect(url);
        using var command = new NpgsqlCommand(sql, connection);
        return (T)command.ExecuteScalar()!;
    }
}
