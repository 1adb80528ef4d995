using Trading.Core.Orders;

namespace Trading.Sim.Matching;

/// <summary>One execution of a simulated order; <see cref="Commission"/> is charged in <see cref="CommissionAsset"/>.</summary>
internal readonly record struct SimFill(long TradeId, long OrderId, OrderSide Side, decimal Price, decimal Quantity,
    decimal Commission, string CommissionAsset, bool IsMaker, long Time, long OrderListId = -1);
