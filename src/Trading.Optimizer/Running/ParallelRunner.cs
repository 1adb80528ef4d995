using System.Runtime.ExceptionServices;
using Trading.Core.Strategies;

namespace Trading.Optimizer.Running;

/// <summary>
/// Runs an evaluation for each point on <c>threads</c> dedicated worker threads. Workers claim the next index from one
/// interlocked counter and store each result at its point's index, so the output is the same, slot for slot, for any
/// thread count and any interleaving: the evaluation must be a pure function of its point (each run makes its own
/// strategy; market data is shared read-only). With one thread the points run on the calling thread, in order.
/// </summary>
public static class ParallelRunner
{
    /// <summary>
    /// Evaluates every point unless <paramref name="cancel"/> fires: then workers finish the run in hand and stop, and
    /// <c>Done</c> marks which slots hold a result. The first exception an evaluation throws stops the others and is
    /// rethrown here, with its original stack.
    /// </summary>
    public static (T[] Results, bool[] Done) Run<T>(
        IReadOnlyList<ParameterSet> points, Func<ParameterSet, T> evaluate, int threads, CancellationToken cancel, ProgressCounter? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var results = new T[points.Count];
        var done = new bool[points.Count];
        var next = -1;
        ExceptionDispatchInfo? failure = null;

        void Work()
        {
            try
            {
                while (!cancel.IsCancellationRequested && Volatile.Read(ref failure) is null)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= points.Count)
                    {
                        return;
                    }

                    results[i] = evaluate(points[i]);
                    done[i] = true;
                    progress?.Add(1);
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
            }
        }

        var count = Math.Min(threads, points.Count);
        if (count <= 1)
        {
            Work();
        }
        else
        {
            var workers = new Thread[count];
            for (var t = 0; t < count; t++)
            {
                workers[t] = new Thread(Work) { IsBackground = true, Name = $"optimizer-{t}" };
                workers[t].Start();
            }

            // Join publishes every worker's writes to results/done to this thread.
            foreach (var w in workers)
            {
                w.Join();
            }
        }

        failure?.Throw();
        return (results, done);
    }
}
