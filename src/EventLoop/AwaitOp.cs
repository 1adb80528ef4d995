namespace EventLoop;

/// <summary>
/// The machinery of one <see cref="Loop.Await{TState}(Completion, Task, TState, Callback{TState})"/>: watches the task
/// with a cached continuation and hands the completion to the loop once. Cancellation and the task's end race through
/// one compare-and-swap on <see cref="_phase"/>, so the completion is handed over exactly once: by the continuation
/// (the task finished first) or by the loop (detached: the task's outcome is then dropped, its exception observed).
/// A detached op is never reused: the loop gives the completion a fresh one, so a late continuation touches only this.
/// </summary>
internal sealed class AwaitOp
{
    private const int Pending = 0;
    private const int Finished = 1;
    private const int Detached = 2;

    private readonly Completion _c;
    private readonly Action _onDone;
    private Task? _task;
    private Func<Task, object?>? _result;
    private CancellationTokenSource? _cts;
    private int _phase;

    public AwaitOp(Completion c)
    {
        _c = c;
        _onDone = OnDone;
    }

    /// <summary>A token canceled when the await is canceled or times out (for the factory forms). Loop thread, before <see cref="Watch"/>.</summary>
    public CancellationToken Token
    {
        get
        {
            if (_cts is null || !_cts.TryReset())
            {
                _cts?.Dispose();
                _cts = new CancellationTokenSource();
            }

            return _cts.Token;
        }
    }

    /// <summary>Starts watching <paramref name="task"/>; <paramref name="result"/> reads a Task&lt;T&gt;'s result (null for a plain Task).</summary>
    public void Watch(Task task, Func<Task, object?>? result)
    {
        _task = task;
        _result = result;
        Volatile.Write(ref _phase, Pending);
        if (task.IsCompleted)
        {
            OnDone();
        }
        else
        {
            task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onDone);
        }
    }

    /// <summary>Loop thread, on cancel or timeout: true if the task had not finished (the loop completes the completion now).</summary>
    public bool Detach()
    {
        if (Interlocked.CompareExchange(ref _phase, Detached, Pending) != Pending)
        {
            return false; // the continuation won: the completion is already on its way to the loop
        }

        _cts?.Cancel(); // after the swap, so a continuation this runs inline sees Detached
        return true;
    }

    private void OnDone()
    {
        var task = _task!;
        if (Interlocked.CompareExchange(ref _phase, Finished, Pending) != Pending)
        {
            _ = task.Exception; // detached: observe a failure so that it never surfaces as unobserved
            return;
        }

        _task = null;
        if (task.IsCompletedSuccessfully)
        {
            _c.ResultValue = _result?.Invoke(task);
        }
        else if (task.IsCanceled)
        {
            _c.ResultException = new TaskCanceledException(task);
        }
        else
        {
            var e = task.Exception!;
            _c.ResultException = e.InnerExceptions.Count == 1 ? e.InnerExceptions[0] : e;
        }

        _c.Loop!.Complete(_c);
    }
}
