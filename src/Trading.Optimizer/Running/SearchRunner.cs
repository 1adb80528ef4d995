using System.Diagnostics;
using Trading.Core.Strategies;
using Trading.Optimizer.Search;

namespace Trading.Optimizer.Running;

/// <summary>
/// Drives a search: asks it for a batch, runs the batch in parallel, scores the results, feeds them back, until the
/// search has nothing more to propose or the run is canceled. Because a search sees only completed batches, in index
/// order, the trials proposed (and so the results) do not depend on the thread count.
/// </summary>
public static class SearchRunner
{
    /// <summary>The most rows reserved before the first batch (some 70 MiB of trials and history at 2^20 rows).</summary>
    private const int MaxPresized = 1 << 20;

    /// <param name="search">Proposes the points.</param>
    /// <param name="evaluate">One run; must be pure (same point, same result) and thread-safe.</param>
    /// <param name="score">Higher is better; null discards the run (not ranked; worst for the search). NaN counts as null.</param>
    /// <param name="settings">Threads, cancellation, progress.</param>
    public static OptimizationResult<T> Run<T>(ISearch search, Func<ParameterSet, T> evaluate, Func<T, double?> score, RunSettings settings)
    {
        var clock = Stopwatch.StartNew();
        // Sized for the plan up front: growing both lists by doubling copied every row about once more and left the
        // old arrays as garbage (some 150 B per run on a grid). Capped so a huge plan does not reserve memory it may
        // never use (a canceled run, a search that runs out of points); beyond it the lists grow as usual.
        var capacity = Math.Clamp(search.Planned, 0, MaxPresized);
        var trials = new List<Trial<T>>(capacity);
        var history = new List<ScoredPoint>(capacity);
        settings.Progress?.AddPlanned(search.Planned);
        var proposed = 0;
        while (!settings.Cancel.IsCancellationRequested)
        {
            var batch = search.NextBatch(history);
            if (batch is null || batch.Count == 0)
            {
                break;
            }

            var (results, done) = ParallelRunner.Run(batch, evaluate, settings.Threads, settings.Cancel, settings.Progress);
            for (var i = 0; i < batch.Count; i++)
            {
                if (!done[i])
                {
                    continue;
                }

                var s = score(results[i]);
                if (s is double v && double.IsNaN(v))
                {
                    s = null;
                }

                trials.Add(new Trial<T>(proposed + i, batch[i], results[i], s));
                history.Add(new ScoredPoint(proposed + i, batch[i], s));
            }

            proposed += batch.Count;
        }

        return new OptimizationResult<T>
        {
            Trials = trials,
            Canceled = settings.Cancel.IsCancellationRequested,
            Elapsed = clock.Elapsed,
            Threads = settings.Threads,
        };
    }
}
