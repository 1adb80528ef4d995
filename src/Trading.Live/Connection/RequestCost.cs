namespace Trading.Live.Connection;

/// <summary>
/// What one request costs against the venue's limits: its REQUEST_WEIGHT (binance.md §6: e.g. order.place 1,
/// openOrders.status 6 for one symbol, a WebSocket connect 2), whether it counts as an order (ORDERS), and one
/// RAW_REQUESTS.
/// </summary>
public readonly record struct RequestCost(int Weight, bool IsOrder = false)
{
    public static RequestCost Order => new(1, IsOrder: true);
}
