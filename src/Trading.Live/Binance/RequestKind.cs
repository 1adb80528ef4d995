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
}
