namespace Trading.Core.Orders;

/// <summary>The two orders of a one-cancels-other pair, as <see cref="Strategies.IStrategyContext.SubmitOco"/> returns them.</summary>
public readonly record struct OcoOrderIds(ClientOrderId StopLoss, ClientOrderId TakeProfit);
