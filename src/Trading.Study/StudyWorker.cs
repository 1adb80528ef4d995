using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Trading.Core.Strategies;
using Trading.Optimizer.Backtesting;

namespace Trading.Study;

/// <summary>
/// Works on a study until it is over: <see cref="WorkerSettings.Threads"/> threads each claim one trial at a time,
/// run it and write its result; a heartbeat thread refreshes this worker's claims and counts everyone's progress. A
/// thread with nothing to claim returns stale claims to the queue, proposes the next batch when all are finished, or
/// waits briefly for other workers. Returns when no trial is left (every trial of the search is finished) or on
/// cancellation; rethrows the first failure of any thread.
/// </summary>
public static class StudyWorker
{
    // An idle thread (others still run the last trials of a batch) polls at 50 ms, doubling to 1 s while nothing
    // changes, so that hundreds of idle threads do not flood the database; any claim resets it.
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LastPoll = TimeSpan.FromSeconds(1);

    /// <returns>The trials this worker finished (claims lost to a stale timeout are not counted).</returns>
    public static int Run(StudyStore store, Study study, Func<ParameterSet, RunMetrics> evaluate, Func<RunMetrics, double?> score, WorkerSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Threads, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(settings.Cancel);
        var claims = new ConcurrentDictionary<int, byte>();
        ExceptionDispatchInfo? failure = null;
        var finished = 0;
        var counted = 0L;
        settings.Progress?.AddPlanned(study.Setup.NewSearch().Planned);

        void Fail(Exception e)
        {
            Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
            stop.Cancel();
        }

        void Count()
        {
            if (settings.Progress is { } progress)
            {
                var done = store.CountFinished(study);
                var delta = done - Interlocked.Read(ref counted);
                if (delta > 0)
                {
                    Interlocked.Add(ref counted, delta);
                    progress.Add(delta);
                }
            }
        }

        void Work()
        {
            try
            {
                var poll = FirstPoll;
                while (!stop.IsCancellationRequested)
                {
                    var trial = StudyQueue.Claim(store, study, settings.WorkerId);
                    if (trial is null)
                    {
                        foreach (var n in StudyQueue.ReturnStale(store, study, settings.Heartbeat))
                        {
                            settings.Log?.WriteLine($"study {study.Name}: trial {n} returned to the queue (no heartbeat for {settings.Heartbeat.TotalSeconds:0.#} s)");
                        }

                        var next = StudyQueue.Advance(store, study);
                        if (next == AdvanceResult.Finished)
                        {
                            return;
                        }

                        if (next == AdvanceResult.Wait)
                        {
                            stop.Token.WaitHandle.WaitOne(poll);
                            poll = poll * 2 < LastPoll ? poll * 2 : LastPoll;
                        }

                        continue;
                    }

                    poll = FirstPoll;

                    claims[trial.TrialId] = 0;
                    settings.Log?.WriteLine($"study {study.Name}: trial {trial.Number} claimed by {settings.WorkerId}");
                    var metrics = evaluate(trial.Parameters);
                    var s = score(metrics);
                    if (s is double v && double.IsNaN(v))
                    {
                        s = null;
                    }

                    var kept = StudyQueue.Complete(store, trial, settings.WorkerId, metrics, s);
                    claims.TryRemove(trial.TrialId, out _);
                    if (kept)
                    {
                        Interlocked.Increment(ref finished);
                    }

                    settings.Log?.WriteLine(kept
                        ? $"study {study.Name}: trial {trial.Number} finished by {settings.WorkerId}"
                        : $"study {study.Name}: trial {trial.Number} was returned to the queue before {settings.WorkerId} finished it; result dropped");
                }
            }
            catch (Exception e)
            {
                Fail(e);
            }
        }

        var threads = new Thread[settings.Threads];
        for (var t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(Work) { IsBackground = true, Name = $"study-worker-{t}" };
            threads[t].Start();
        }

        // The heartbeat: a quarter of the timeout, so three beats may be lost before a live claim looks stale.
        var beat = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, settings.Heartbeat.Ticks / 4));
        while (Array.Find(threads, t => t.IsAlive) is { } running)
        {
            if (running.Join(beat))
            {
                continue;
            }

            try
            {
                StudyQueue.Beat(store, claims.Keys.ToArray());
                Count();
            }
            catch (Exception e)
            {
                Fail(e);
            }
        }

        failure?.Throw();
        Count();
        return finished;
    }
}
