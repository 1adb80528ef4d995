namespace Trading.Backtest.Results;

/// <summary>
/// One round trip: from flat (or a flip) back to flat. Prices are volume-weighted averages of the entry and exit
/// fills; <see cref="Pnl"/> is net of every fee paid on the trade; <see cref="ReturnPct"/> = Pnl / (EntryPrice ×
/// Quantity) × 100. An open trade has no exit time; its exit price is the last close it was marked at.
/// </summary>
public sealed record TradeRecord(
    TradeSide Side,
    long EntryTime,
    long? ExitTime,
    decimal Quantity,
    decimal EntryPrice,
    decimal ExitPrice,
    decimal Pnl,
    double ReturnPct,
    decimal Fees,
    string ExitReason)
{
    public bool IsOpen => ExitTime is null;
}
