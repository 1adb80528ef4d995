namespace EventLoop;

/// <summary>The operation a <see cref="Completion"/> carries.</summary>
public enum Operation
{
    None,
    Timer,
    Post,
    Notify,
    Offload,
    Accept,
    Connect,
    Receive,
    Send,
    Shutdown,
    Close,
    WebSocketConnect,
    WebSocketReceive,
    WebSocketSend,
    WebSocketClose,

    /// <summary>A .NET Task or ValueTask turned into a completion (<see cref="Loop.Await{TState}(Completion, Task, TState, Callback{TState})"/>).</summary>
    Await,

    /// <summary>Internal: a notifier's own signal travelling through the cross-thread queue.</summary>
    NotifySignal,
}
