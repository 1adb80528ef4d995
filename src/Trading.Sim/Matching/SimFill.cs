using Trading.Core.Orders;

namespace Trading.Sim.Matching;

/// <summary>One execution of a simulated order. Commission is in the quote asset.</summary>
internal readonly record struct SimFill(long TradeId, long OrderId, OrderSide Side, decimal Price, decimal Quantity,
    decimal Commission, bool IsMaker, long Time);
