namespace Trading.Sim.Faults;

/// <summary>
/// The faults the simulator can inject; each one injected is counted (<see cref="FaultInjector.Counts"/>). The last
/// three (<see cref="Malformed"/>, <see cref="Truncated"/>, <see cref="ReorderExecutionReport"/>) are synthetic:
/// Binance's WebSocket framing never does them, so they are reported apart (<see cref="FaultInjector.IsSynthetic"/>).
/// </summary>
public enum FaultKind
{
    /// <summary>A connection (stream or WebSocket API) aborted without a close frame.</summary>
    Drop,

    /// <summary>A connection's outgoing frames held back for the stall duration.</summary>
    Stall,

    /// <summary>An order acknowledgement (order.place reply) delayed.</summary>
    DelayAck,

    /// <summary>An order rejected with -2010 before it reached the engine.</summary>
    Reject,

    /// <summary>A request refused with -1003 / 429 although within the weight limit.</summary>
    RateLimit,

    /// <summary>An executionReport sent twice.</summary>
    DuplicateExecutionReport,

    /// <summary>An order.place answered 503 / -1007 (status unknown), the order placed or not.</summary>
    UnknownOutcome,

    /// <summary>An order placed (and maybe filled) whose reply is never sent; the connection stays up.</summary>
    LoseAck,

    /// <summary>An executionReport silently not sent.</summary>
    LoseReport,

    /// <summary>The user-data stream quiet for a while (its events held back, then sent in order).</summary>
    UserStall,

    /// <summary>A cancel that lost the race to a fill: the order filled, the cancel got -2011.</summary>
    CancelRace,

    /// <summary>An IP ban (418) after ignored 429s; connections closed.</summary>
    Ban,

    /// <summary>A connection closed at the end of its lifetime.</summary>
    Lifetime,

    /// <summary>A signed request refused with -1021 while the server clock is skewed.</summary>
    Skew,

    /// <summary>A frame replaced by text that is not JSON (synthetic).</summary>
    Malformed,

    /// <summary>A frame cut in half (synthetic).</summary>
    Truncated,

    /// <summary>An executionReport held back and sent after the next user event (synthetic).</summary>
    ReorderExecutionReport,
}
