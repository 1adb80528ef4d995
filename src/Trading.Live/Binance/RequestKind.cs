namespace Trading.Live.Binance;

/// <summary>What a WebSocket API request was for, so that its answer (or its silence) can be routed.</summary>
public enum RequestKind : byte
{
    Time,
    SubscribeUserData,
    AccountStatus,
    Place,
    Cancel,
    Status,
    OpenOrders,

    /// <summary><c>orderList.place.oco</c>; the request's sequence is the stop leg's.</summary>
    PlaceOco,

    /// <summary><c>myTrades</c> for one order (lost execution reports found by query).</summary>
    Trades,

    /// <summary><c>ping</c>: the WebSocket API heartbeat (an answer proves the session alive).</summary>
    Ping,

    /// <summary><c>klines</c>: a gap fill's missed closed candles.</summary>
    Klines,

    /// <summary>Restart / reconnect reconciliation's queries (answers go to the reconciliation round).</summary>
    ReconcileOpenOrders,

    ReconcileStatus,

    ReconcileTrades,

    ReconcileAccount,
}
