namespace Trading.Backtest.Engine;

/// <summary>The kinds of <see cref="RejectReason"/>: one per message the backtest can refuse an order with.</summary>
internal enum RejectKind : byte
{
    None,
    Text,
    WarmingUp,
    LotZero,
    LimitPrice,
    StopPrice,
    Filters,
    Shorting,
    OcoSides,
    OcoOrder,
    QuoteBelowLot,
    MinNotional,
    Cash,
    Margin,
}
