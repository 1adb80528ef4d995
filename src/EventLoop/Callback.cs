namespace EventLoop;

/// <summary>
/// A completion callback. Runs on the thread that called <see cref="Loop.Run"/>, never inline inside the call that
/// submitted the operation (even when the operation finished synchronously). <paramref name="state"/> is the reference
/// given at submission (a reference type, like libxev's userdata pointer, so that nothing is boxed and no closure is
/// needed); <paramref name="r"/> is only valid during the call. Throwing ends <see cref="Loop.Run"/> with that
/// exception; the completion is then <see cref="CompletionState.Dead"/> and the loop remains usable.
/// </summary>
public delegate CallbackAction Callback<TState>(TState state, Loop loop, Completion c, in CompletionResult r)
    where TState : class?;
