namespace Trading.Core.Orders;

public enum TimeInForce : byte
{
    /// <summary>Good till canceled.</summary>
    Gtc,

    /// <summary>Immediate or cancel: what cannot fill at once is expired.</summary>
    Ioc,

    /// <summary>Fill or kill: fills completely at once or expires.</summary>
    Fok,
}
