using System.Runtime.CompilerServices;

namespace EventLoop;

/// <summary>The cached invoker of a result-returning offload (<see cref="Func{TState, TResult}"/>) and the result reader of an awaited <see cref="Task{TResult}"/>, one per type pair.</summary>
internal static class WorkThunkOf<TState, TResult>
    where TState : class?
{
    internal static readonly Func<Delegate, object?, object?> Work = InvokeWork;

    // Read only after the task completed (the await continuation), so .Result never blocks.

    internal static readonly Func<Task, object?> TaskResult = static t => Unsafe.As<Task<TResult>>(t).Result;

    private static object? InvokeWork(Delegate work, object? state) => Unsafe.As<Func<TState, TResult>>(work)(Unsafe.As<TState>(state)!);
}
