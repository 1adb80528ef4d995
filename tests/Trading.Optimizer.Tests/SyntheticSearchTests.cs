using Trading.Core.Strategies;
using Trading.Optimizer.Running;
using Trading.Optimizer.Search;
using Trading.Optimizer.Space;

namespace Trading.Optimizer.Tests;

/// <summary>Searches and the runner over a synthetic objective (a smooth bowl with its peak at fast=37, slow=120).</summary>
public sealed class SyntheticSearchTests
{
    private static ParameterSpace Space() => ParameterSpaceTests.Space(["fast=2:60:1", "slow=20:200:2"], ["fast < slow"]);

    /// <summary>Pure and deliberately uneven in cost, so that threads finish out of order.</summary>
    internal static double Bowl(ParameterSet p)
    {
        double f = p.Get("fast"), s = p.Get("slow");
        var spin = 0.0;
        for (var i = 0; i < (int)f * 50; i++)
        {
            spin += Math.Sin(i);
        }

        return -((f - 37) * (f - 37)) - (((s - 120) / 3) * ((s - 120) / 3)) + (spin * 0);
    }

    private static OptimizationResult<double> Run(ISearch search, int threads) =>
        SearchRunner.Run(search, Bowl, v => v, new RunSettings { Threads = threads });

    private static ISearch Make(string kind) => kind switch
    {
        "grid" => new GridSearch(Space()),
        "random" => new RandomSearch(Space(), 300, 42),
        _ => new TpeSearch(Space(), new TpeSettings { Trials = 120, Seed = 42, BatchSize = 8 }),
    };

    [Theory]
    [InlineData("grid")]
    [InlineData("random")]
    [InlineData("tpe")]
    public void Identical_for_1_2_and_7_threads(string kind)
    {
        var one = Run(Make(kind), 1);
        foreach (var threads in new[] { 2, 7 })
        {
            var many = Run(Make(kind), threads);
            Assert.Equal(one.Trials.Count, many.Trials.Count);
            for (var i = 0; i < one.Trials.Count; i++)
            {
                Assert.Equal(one.Trials[i], many.Trials[i]);
            }

            Assert.Equal(one.Ranked()[0], many.Ranked()[0]);
        }
    }

    [Fact]
    public void Grid_finds_the_peak_and_random_samples_distinct_allowed_points()
    {
        var grid = Run(Make("grid"), 2);
        Assert.Equal("fast=37 qty=0 size=1 slow=120", grid.Ranked()[0].Parameters.ToString());
        Assert.Equal(0, grid.Ranked()[0].Score);

        var random = Run(Make("random"), 2);
        Assert.Equal(300, random.Trials.Count);
        Assert.Equal(300, random.Trials.Select(t => t.Parameters).Distinct().Count());
        Assert.All(random.Trials, t => Assert.True(t.Parameters.Get("fast") < t.Parameters.Get("slow")));
    }

    [Fact]
    public void Random_asks_for_more_than_the_space_holds_gets_all_of_it()
    {
        var space = ParameterSpaceTests.Space(["fast=5:15:5", "slow=10:20:10"], ["fast < slow"]); // (5,10) (5,20) (10,20) (15,20)
        var r = new RandomSearch(space, 50, 1);
        Assert.Equal(4, r.Planned);
        Assert.Equal(
            ["fast=10 qty=0 size=1 slow=20", "fast=15 qty=0 size=1 slow=20", "fast=5 qty=0 size=1 slow=10", "fast=5 qty=0 size=1 slow=20"],
            r.Points.Select(p => p.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Tpe_is_deterministic_per_seed_and_never_repeats_a_point()
    {
        var a = Run(Make("tpe"), 1);
        var b = Run(Make("tpe"), 3);
        Assert.Equal(a.Trials.Select(t => t.Parameters), b.Trials.Select(t => t.Parameters));
        Assert.Equal(120, a.Trials.Count);
        Assert.Equal(120, a.Trials.Select(t => t.Parameters).Distinct().Count());
        Assert.All(a.Trials, t => Assert.True(t.Parameters.Get("fast") < t.Parameters.Get("slow")));

        var other = Run(new TpeSearch(Space(), new TpeSettings { Trials = 120, Seed = 7, BatchSize = 8 }), 1);
        Assert.NotEqual(a.Trials.Select(t => t.Parameters), other.Trials.Select(t => t.Parameters));
    }

    [Fact]
    public void Tpe_learns_where_random_search_does_not()
    {
        // Same budget (120 runs of a 4,500-point space), five seeds each. TPE concentrates on the peak: its later
        // trials score at least twice as well as its random start-up, and its best beats random search's best on average.
        double tpeBest = 0, randomBest = 0;
        for (var seed = 1; seed <= 5; seed++)
        {
            var tpe = Run(new TpeSearch(Space(), new TpeSettings { Trials = 120, Seed = seed, BatchSize = 8 }), 2);
            var random = Run(new RandomSearch(Space(), 120, seed), 2);
            tpeBest += tpe.Ranked()[0].Score!.Value;
            randomBest += random.Ranked()[0].Score!.Value;
            var startup = tpe.Trials.Take(16).Average(t => t.Score!.Value);
            var late = tpe.Trials.Skip(80).Average(t => t.Score!.Value);
            Assert.True(late > startup / 2, $"seed {seed}: late mean {late:F1} vs start-up mean {startup:F1}");
        }

        Assert.True(tpeBest / 5 > randomBest / 5, $"TPE mean best {tpeBest / 5:F2}, random {randomBest / 5:F2}");
        Assert.True(tpeBest / 5 > -3, $"TPE mean best {tpeBest / 5:F2} is not near the peak (0)");
    }

    [Fact]
    public void Tpe_batches_see_only_earlier_batches()
    {
        var search = new TpeSearch(Space(), new TpeSettings { Trials = 20, Seed = 3, BatchSize = 8, StartupTrials = 8 });
        var first = search.NextBatch([])!;
        Assert.Equal(8, first.Count);
        var history = first.Select((p, i) => new ScoredPoint(i, p, Bowl(p))).ToList();
        var second = search.NextBatch(history)!;
        var third = search.NextBatch([.. history, .. second.Select((p, i) => new ScoredPoint(8 + i, p, Bowl(p)))])!;
        Assert.Equal(8, second.Count);
        Assert.Equal(4, third.Count); // 20 trials: 8 + 8 + 4
        Assert.Null(search.NextBatch(history));
    }

    [Fact]
    public void Tpe_stops_when_the_space_is_used_up()
    {
        var space = ParameterSpaceTests.Space(["fast=5:15:5", "slow=10:20:10"], ["fast < slow"]);
        var r = Run(new TpeSearch(space, new TpeSettings { Trials = 30, Seed = 1, BatchSize = 3, StartupTrials = 2 }), 2);
        Assert.Equal(4, r.Trials.Count);
    }

    [Fact]
    public void Discarded_runs_are_not_ranked_and_ties_break_by_parameters()
    {
        var space = ParameterSpaceTests.Space(["fast=5:20:5"], []);
        var r = SearchRunner.Run(new GridSearch(space), p => p.Get("fast"), v => v == 20 ? null : 1.0, new RunSettings { Threads = 2 });
        Assert.Equal(4, r.Trials.Count);
        Assert.Equal([5.0, 10, 15], r.Ranked().Select(t => t.Parameters.Get("fast"))); // all score 1: ascending fast
    }

    [Fact]
    public void Cancel_returns_the_runs_finished_so_far()
    {
        using var cts = new CancellationTokenSource();
        var count = 0;
        var r = SearchRunner.Run(new GridSearch(Space()), p =>
        {
            if (Interlocked.Increment(ref count) == 25)
            {
                cts.Cancel();
            }

            return Bowl(p);
        }, v => v, new RunSettings { Threads = 1, Cancel = cts.Token });
        Assert.True(r.Canceled);
        Assert.Equal(25, r.Trials.Count);
        Assert.Equal(Enumerable.Range(0, 25), r.Trials.Select(t => t.Index));

        using var cts2 = new CancellationTokenSource();
        var count2 = 0;
        var r2 = SearchRunner.Run(new GridSearch(Space()), p =>
        {
            if (Interlocked.Increment(ref count2) == 25)
            {
                cts2.Cancel();
            }

            return Bowl(p);
        }, v => v, new RunSettings { Threads = 4, Cancel = cts2.Token });
        Assert.True(r2.Canceled);
        Assert.InRange(r2.Trials.Count, 25, 28); // the runs already in hand on the other workers finish
        Assert.NotEmpty(r2.Ranked());
    }

    [Fact]
    public void An_exception_in_a_run_surfaces_with_its_type()
    {
        var e = Assert.Throws<InvalidDataException>(() => SearchRunner.Run(
            new GridSearch(Space()), p => p.Get("fast") == 30 ? throw new InvalidDataException("boom") : 1.0, v => v, new RunSettings { Threads = 3 }));
        Assert.Equal("boom", e.Message);
    }

    [Fact]
    public void Progress_counts_every_run()
    {
        var progress = new ProgressCounter();
        var r = SearchRunner.Run(Make("tpe"), Bowl, v => v, new RunSettings { Threads = 2, Progress = progress });
        Assert.Equal(120, progress.Done);
        Assert.Equal(120, progress.Planned);
        Assert.Equal(120, r.Trials.Count);
    }
}
