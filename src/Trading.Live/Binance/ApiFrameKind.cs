namespace Trading.Live.Binance;

/// <summary>What a WebSocket API frame turned out to be.</summary>
public enum ApiFrameKind : byte
{
    Unknown,

    /// <summary>The answer to a request: <see cref="ApiFrame.Id"/>, <see cref="ApiFrame.Status"/>, a result or an error.</summary>
    Response,
    ExecutionReport,
    BalanceChange,
    ListStatus,

    /// <summary>The user-data subscription ended (unsubscribe or logout).</summary>
    StreamTerminated,

    /// <summary>Planned shutdown of the connection: reconnect.</summary>
    ServerShutdown,

    /// <summary>A pushed user event of a type this client does not use (e.g. externalLockUpdate).</summary>
    OtherEvent,
}
