namespace Trading.Backtest.Results;

public enum TradeSide : byte
{
    Long,
    Short,
}
