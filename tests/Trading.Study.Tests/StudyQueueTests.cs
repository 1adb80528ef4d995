using Npgsql;
using Trading.Backtest.Metrics;
using Trading.Core.Strategies;
using Trading.Optimizer.Backtesting;
using Trading.Optimizer.Search;
using Trading.Optimizer.Space;

namespace Trading.Study.Tests;

/// <summary>The queue's rules, driven step by step in-process: claims, stale returns and the once-only result.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StudyQueueTests(ClusterFixture fixture)
{
    [PostgresFact]
    public void A_claim_returned_to_the_queue_is_finished_once_by_its_new_holder_only()
    {
        var url = fixture.Cluster.CreateDatabase("queue");
        using var store = StudyStore.Open(StudyUrl.Parse(url));
        var study = store.CreateOrJoin("q", Setup());

        var a = StudyQueue.Claim(store, study, "a")!;
        Assert.Equal(0, a.Number);
        Assert.Equal(1, StudyQueue.Claim(store, study, "other")!.Number); // SKIP LOCKED order: the next one, never the same

        // A zero timeout makes every claim stale: trial 0 and 1 go back to the queue, lowest number first again.
        Assert.Equal([0, 1], StudyQueue.ReturnStale(store, study, TimeSpan.Zero));
        var b = StudyQueue.Claim(store, study, "b")!;
        Assert.Equal(a.TrialId, b.TrialId);

        var metrics = new RunMetrics(new BacktestMetrics { Trades = 3, Sharpe = 1.5 }, "hash", 6, 0);
        Assert.False(StudyQueue.Complete(store, a, "a", metrics, 1.5)); // the old holder's result is dropped
        Assert.True(StudyQueue.Complete(store, b, "b", metrics, 1.5));
        Assert.False(StudyQueue.Complete(store, b, "b", metrics, 1.5)); // a retried write does not count twice

        Assert.Equal(1L, Scalar(url, "SELECT count(*) FROM trial_values"));
        Assert.Equal(1L, Scalar(url, "SELECT count(*) FROM trials WHERE state = 'COMPLETE'"));
        var done = Assert.Single(store.Results(study));
        Assert.Equal(0, done.Index);
        Assert.Equal(metrics, done.Result);
        Assert.Equal(1.5, done.Score);
    }

    [PostgresFact]
    public void The_next_batch_waits_for_running_trials_and_the_study_ends_when_the_search_does()
    {
        var url = fixture.Cluster.CreateDatabase("advance");
        using var store = StudyStore.Open(StudyUrl.Parse(url));
        var study = store.CreateOrJoin("g", Setup());
        var planned = study.Setup.NewSearch().Planned;
        var metrics = new RunMetrics(new BacktestMetrics(), "h", 0, 0);
        var claims = Enumerable.Range(0, planned).Select(_ => StudyQueue.Claim(store, study, "w")!).ToList();
        Assert.Null(StudyQueue.Claim(store, study, "w"));
        Assert.Equal(AdvanceResult.Wait, StudyQueue.Advance(store, study));
        foreach (var c in claims)
        {
            Assert.True(StudyQueue.Complete(store, c, "w", metrics, null)); // discarded: PRUNED, no value
        }

        Assert.Equal(AdvanceResult.Finished, StudyQueue.Advance(store, study));
        Assert.Equal((long)planned, Scalar(url, "SELECT count(*) FROM trials WHERE state = 'PRUNED'"));
        Assert.Equal(0L, Scalar(url, "SELECT count(*) FROM trial_values"));
        Assert.All(store.Results(study), t => Assert.False(t.Kept));
    }

    private static StudySetup Setup()
    {
        var sma = StrategyRegistry.CreateDefault().Get("sma-cross");
        var axes = new[] { GridArgument.Parse("fast=5:15:5", sma), GridArgument.Parse("slow=20:40:20", sma) };
        var space = ParameterSpace.Create(sma, sma.Defaults, axes, ["fast < slow"]);
        return new StudySetup
        {
            Definition = new StudyDefinition
            {
                Strategy = sma.Name,
                Parameters = sma.Defaults.ToString(),
                Space = space.ToString(),
                Objective = "sharpe",
                MinTrades = 0,
                Search = "grid",
                Data = "test",
                Fill = "test",
            },
            Space = space,
            NewSearch = () => new GridSearch(space),
        };
    }

    private static long Scalar(string url, string sql)
    {
        using var connection = PostgresCluster.Connect(url);
        using var command = new NpgsqlCommand(sql, connection);
        return (long)command.ExecuteScalar()!;
    }
}
