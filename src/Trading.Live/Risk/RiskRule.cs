namespace Trading.Live.Risk;

/// <summary>Which rule refused an order.</summary>
public enum RiskRule : byte
{
    None,
    KillSwitch,
    MaxPosition,
    MaxOrderNotional,
    MaxOpenOrders,
    OrdersPerSecond,
    PriceBand,
}
