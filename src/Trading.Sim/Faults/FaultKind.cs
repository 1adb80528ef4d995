namespace Trading.Sim.Faults;

/// <summary>The faults the simulator can inject; each one injected is counted (<see cref="FaultInjector.Counts"/>).</summary>
public enum FaultKind
{
    /// <summary>A connection (stream or WebSocket API) aborted without a close frame.</summary>
    Drop,

    /// <summary>A connection's outgoing frames held back for the stall duration.</summary>
    Stall,

    /// <summary>A frame replaced by text that is not JSON.</summary>
    Malformed,

    /// <summary>A frame cut in half.</summary>
    Truncated,

    /// <summary>An executionReport sent twice.</summary>
    DuplicateExecutionReport,

    /// <summary>An executionReport held back and sent after the next user event.</summary>
    ReorderExecutionReport,

    /// <summary>An order acknowledgement (order.place reply) delayed.</summary>
    DelayAck,

    /// <summary>An order rejected with -2010 before it reached the engine.</summary>
    Reject,

    /// <summary>A request refused with -1003 / 429 although within the weight limit.</summary>
    RateLimit,
}
