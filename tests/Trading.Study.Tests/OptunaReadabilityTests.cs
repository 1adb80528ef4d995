using System.Globalization;
using System.Text.Json;

namespace Trading.Study.Tests;

/// <summary>
/// Optuna 3.1 (Debian's) reads a study quant wrote: <c>optuna.load_study</c> accepts the schema and returns every trial
/// with the single-process run's parameters, states (discarded runs PRUNED) and values, and its best value.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OptunaReadabilityTests(ClusterFixture fixture) : IDisposable
{
    private const string Script = """
        import json, sys, optuna
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        s = optuna.load_study(study_name=sys.argv[1], storage=sys.argv[2])
        print(json.dumps({
            "direction": s.direction.name,
            "best_number": s.best_trial.number,
            "best_value": s.best_value,
            "trials": [[t.number, t.state.name, t.value, t.params, t.user_attrs.get("trades"), t.user_attrs.get("order_list_hash")] for t in s.trials],
        }))
        """;

    private readonly StudyFiles _files = new();

    public void Dispose() => _files.Dispose();

    [OptunaFact]
    public async Task Optuna_load_study_returns_the_same_trials_and_best_value()
    {
        var url = fixture.Cluster.CreateDatabase("optuna");
        string[] args = ["optimize", "--strategy", "sma-cross", "--data", _files.Candles, "--grid", "fast=4:20:2", "--grid", "slow=20:60:10", "--where", "fast < slow",
            "--min-trades", "10", "--json"];
        var single = await QuantProcess.RunAsync(_files.Directory, [.. args, "--out", _files.PathOf("single")]);
        Assert.True(single.ExitCode == 0, single.Stderr);
        var study = await QuantProcess.RunAsync(_files.Directory, [.. args, "--study", url, "--study-name", "readable", "--threads", "2"]);
        Assert.True(study.ExitCode == 0, study.Stderr);

        var python = DebianOptuna.Run(DebianOptuna.Python, "-c", Script, "readable", url);
        Assert.True(python.ExitCode == 0, python.Stderr);
        using var optuna = JsonDocument.Parse(python.Stdout);
        var root = optuna.RootElement;
        Assert.Equal("MAXIMIZE", root.GetProperty("direction").GetString());

        var rows = File.ReadAllLines(_files.PathOf("single/results.csv"));
        var header = rows[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var trials = root.GetProperty("trials").EnumerateArray().ToArray();
        Assert.Equal(rows.Length - 1, trials.Length);
        var pruned = 0;
        for (var i = 0; i < trials.Length; i++)
        {
            var csv = rows[i + 1].Split(',');
            var t = trials[i];
            Assert.Equal(int.Parse(csv[Col("index")], CultureInfo.InvariantCulture), t[0].GetInt32());
            Assert.Equal(double.Parse(csv[Col("fast")], CultureInfo.InvariantCulture), t[3].GetProperty("fast").GetDouble());
            Assert.Equal(double.Parse(csv[Col("slow")], CultureInfo.InvariantCulture), t[3].GetProperty("slow").GetDouble());
            Assert.Equal(int.Parse(csv[Col("trades")], CultureInfo.InvariantCulture), t[4].GetInt32());
            Assert.Equal(csv[Col("order_list_hash")], t[5].GetString());
            if (csv[Col("kept")] == "true")
            {
                Assert.Equal("COMPLETE", t[1].GetString());
                Assert.Equal(double.Parse(csv[Col("score")], CultureInfo.InvariantCulture), t[2].GetDouble());
            }
            else
            {
                pruned++;
                Assert.Equal("PRUNED", t[1].GetString());
                Assert.Equal(JsonValueKind.Null, t[2].ValueKind);
            }
        }

        Assert.InRange(pruned, 1, trials.Length - 1);
        var best = JsonDocument.Parse(single.Stdout).RootElement.GetProperty("best");
        Assert.Equal(best.GetProperty("score").GetDouble(), root.GetProperty("best_value").GetDouble());
        Assert.Equal(best.GetProperty("index").GetInt32(), root.GetProperty("best_number").GetInt32());
    }
}
