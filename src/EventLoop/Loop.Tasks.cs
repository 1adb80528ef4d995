namespace EventLoop;

/// <summary>Offload to the thread pool, and .NET tasks as loop completions.</summary>
public sealed partial class Loop
{
    /// <summary>
    /// Runs <paramref name="work"/>(<paramref name="state"/>) on the .NET thread pool, then <paramref name="callback"/>
    /// on the loop thread. The work reports its result by writing into <paramref name="state"/> (visible to the callback:
    /// the hand-over through the queue orders it); if it throws, the callback sees it in
    /// <see cref="CompletionResult.Exception"/>. Rearm runs the work again. For blocking calls (files, DNS, a database),
    /// never for loop state: the work runs on another thread. Cancel cannot interrupt the work: the callback (canceled)
    /// runs once it returned.
    /// </summary>
    public void Offload<TState>(Completion c, TState state, Action<TState> work, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(work);
        StartOffload(c, state, work, ThunkOf<TState>.Work, callback);
    }

    /// <summary>
    /// As <see cref="Offload{TState}(Completion, TState, Action{TState}, Callback{TState})"/>, with a result: the value
    /// <paramref name="work"/> returns is <see cref="CompletionResult.Value"/> (boxed if a value type). Trap: C# picks this
    /// overload for any expression lambda that has a value (<c>s =&gt; s.Count++</c>), boxing a value-type result on every
    /// run; write a statement lambda (<c>s =&gt; { s.Count++; }</c>) when no result is wanted.
    /// </summary>
    public void Offload<TState, TResult>(Completion c, TState state, Func<TState, TResult> work, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(work);
        StartOffload(c, state, work, WorkThunkOf<TState, TResult>.Work, callback);
    }

    /// <summary>
    /// Turns a running <paramref name="task"/> (an <c>HttpClient</c> request, a DNS lookup, a file flush) into a loop
    /// completion: <paramref name="callback"/> runs on the loop thread once the task finished, with its failure in
    /// <see cref="CompletionResult.Exception"/> (the single inner exception of a faulted task; a
    /// <see cref="TaskCanceledException"/> for a task canceled by its own token). Trap: the loop cannot stop a task it
    /// did not start, so <see cref="Cancel"/> only detaches it: the callback runs canceled at once, the task runs on, and
    /// its outcome is dropped (its exception observed). To really stop it, use the factory form, which passes a token.
    /// Rearm is refused (a task runs once): await a new one. Allocates (the task does anyway).
    /// </summary>
    public void Await<TState>(Completion c, Task task, TState state, Callback<TState> callback)
        where TState : class?
        => Await(c, task, Timeout.InfiniteTimeSpan, state, callback);

    /// <summary>
    /// As <see cref="Await{TState}(Completion, Task, TState, Callback{TState})"/> with a deadline: if the task has not
    /// finished <paramref name="timeout"/> after <see cref="Now"/>, the callback runs with
    /// <see cref="CompletionResult.IsTimedOut"/> (and a <see cref="TimeoutException"/>). <see cref="Timeout.InfiniteTimeSpan"/>: none.
    /// </summary>
    public void Await<TState>(Completion c, Task task, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(task);
        var op = BeginAwait(c, timeout, state, callback);
        op.Watch(task, null);
    }

    /// <summary>As the plain-Task form; the task's result is <see cref="CompletionResult.Value"/> (boxed if a value type), owned by the callback.</summary>
    public void Await<TState, TResult>(Completion c, Task<TResult> task, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(task);
        var op = BeginAwait(c, timeout, state, callback);
        op.Watch(task, WorkThunkOf<TState, TResult>.TaskResult);
    }

    /// <summary>As the Task form (the ValueTask is converted with <see cref="ValueTask.AsTask"/>, so it is consumed here: do not await it again).</summary>
    public void Await<TState>(Completion c, ValueTask task, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
        => Await(c, task.AsTask(), timeout, state, callback);

    /// <summary>As the Task&lt;T&gt; form (the ValueTask is converted with <see cref="ValueTask{TResult}.AsTask"/>: do not await it again).</summary>
    public void Await<TState, TResult>(Completion c, ValueTask<TResult> task, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
        => Await(c, task.AsTask(), timeout, state, callback);

    /// <summary>
    /// Starts <paramref name="start"/>(<paramref name="state"/>, token) on the loop thread and awaits the task it returns.
    /// The token is canceled by <see cref="Cancel"/>, by <see cref="Shutdown"/> and when <paramref name="timeout"/>
    /// passes, so the operation itself stops (an <c>HttpClient</c> request is aborted); the callback still runs at once,
    /// canceled or timed out, without waiting for the task to notice. If <paramref name="start"/> throws, the callback
    /// gets that exception. The task must not touch loop state: only its outcome reaches the loop.
    /// </summary>
    public void Await<TState>(Completion c, TState state, Func<TState, CancellationToken, Task> start, TimeSpan timeout, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(start);
        var op = BeginAwait(c, timeout, state, callback);
        op.Watch(StartTask(start, state, op.Token), null);
    }

    /// <summary>As the factory form above; the task's result is <see cref="CompletionResult.Value"/>.</summary>
    public void Await<TState, TResult>(Completion c, TState state, Func<TState, CancellationToken, Task<TResult>> start, TimeSpan timeout, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(start);
        var op = BeginAwait(c, timeout, state, callback);
        op.Watch(StartTask(start, state, op.Token), WorkThunkOf<TState, TResult>.TaskResult);
    }

    private static Task StartTask<TState>(Func<TState, CancellationToken, Task> start, TState state, CancellationToken token)
    {
        try
        {
            return start(state, token) ?? Task.FromException(new InvalidOperationException("the Await factory returned a null task"));
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    private static Task<TResult> StartTask<TState, TResult>(Func<TState, CancellationToken, Task<TResult>> start, TState state, CancellationToken token)
    {
        try
        {
            return start(state, token) ?? Task.FromException<TResult>(new InvalidOperationException("the Await factory returned a null task"));
        }
        catch (Exception e)
        {
            return Task.FromException<TResult>(e);
        }
    }

    private AwaitOp BeginAwait<TState>(Completion c, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(c);
        CheckThread();
        long timeoutTicks = TimeoutTicksOf(timeout);
        c.Arm(this, Operation.Await, state, callback);
        c.TimeoutTicks = timeoutTicks;
        Submitted(c);
        StartDeadline(c);
        return c.AwaitOp ??= new AwaitOp(c);
    }

    private void StartOffload<TState>(Completion c, TState state, Delegate work, Func<Delegate, object?, object?> invoke, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(c);
        CheckThread();
        c.Arm(this, Operation.Offload, state, callback);
        c.Work = work;
        c.WorkInvoke = invoke;
        Submitted(c);
        QueueOffload(c);
    }

    private void QueueOffload(Completion c)
    {
        c.WorkItem ??= new OffloadWorkItem(c);
        ThreadPool.UnsafeQueueUserWorkItem(c.WorkItem, preferLocal: false);
    }
}
