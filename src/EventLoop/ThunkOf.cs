using System.Runtime.CompilerServices;

namespace EventLoop;

/// <summary>One cached <see cref="Thunk"/> and work invoker per state type (allocated once per type, never per call).</summary>
internal static class ThunkOf<TState>
    where TState : class?
{
    internal static readonly Thunk Callback = InvokeCallback;

    internal static readonly Func<Delegate, object?, object?> Work = InvokeWork;

    // Unsafe.As skips the cast checks: the completion stored exactly these types together when it was armed.
    private static CallbackAction InvokeCallback(Delegate callback, object? state, Loop loop, Completion c, in CompletionResult r)
        => Unsafe.As<Callback<TState>>(callback)(Unsafe.As<TState>(state)!, loop, c, in r);

    private static object? InvokeWork(Delegate work, object? state)
    {
        Unsafe.As<Action<TState>>(work)(Unsafe.As<TState>(state)!);
        return null;
    }
}
