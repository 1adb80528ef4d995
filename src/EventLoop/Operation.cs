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

    /// <summary>Internal: a notifier's own signal travelling through the cross-thread queue.</summary>
    NotifySignal,
}
