using Trading.Backtest.Results;

namespace Trading.Backtest.Engine;

/// <summary>
/// A closed trade as the ledger keeps it: <see cref="TradeRecord"/>'s fields by value and its exit reason as an index
/// into the ledger's reasons, so the record holds no reference. A run's trades then sit in chunks the collector never
/// scans or copies (a record object per trade was promoted, copied twice, through the generations); the
/// <see cref="TradeRecord"/> a reader sees is built when read (<see cref="TradeList"/>).
/// </summary>
internal readonly record struct TradeRow(
    TradeSide Side,
    long EntryTime,
    long ExitTime,
    decimal Quantity,
    decimal EntryPrice,
    decimal ExitPrice,
    decimal Pnl,
    double ReturnPct,
    decimal Fees,
    int Reason)
{
    public TradeRecord ToRecord(string[] reasons) =>
        new(Side, EntryTime, ExitTime, Quantity, EntryPrice, ExitPrice, Pnl, ReturnPct, Fees, reasons[Reason]);
}
