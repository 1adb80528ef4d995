namespace EventLoop;

/// <summary>Invokes a type-erased <see cref="Callback{TState}"/>: lets a non-generic <see cref="Completion"/> call a generic callback without boxing or allocating.</summary>
internal delegate CallbackAction Thunk(Delegate callback, object? state, Loop loop, Completion c, in CompletionResult r);
