namespace EventLoop;

/// <summary>What a completion callback asks the loop to do with its completion once it returns.</summary>
public enum CallbackAction
{
    /// <summary>The completion becomes <see cref="CompletionState.Dead"/>; the caller may reuse it for anything.</summary>
    Disarm,

    /// <summary>
    /// Re-submits the same operation on the same completion: another accept, receive into the same buffer, send of the
    /// same bytes, the next timer period, another wait on the notifier, another run of the offloaded work.
    /// Trap: a callback that already re-submitted <c>c</c> for something else must return <see cref="Disarm"/>;
    /// returning Rearm then makes <see cref="Loop.Run"/> throw. Ignored for a canceled completion.
    /// </summary>
    Rearm,
}
