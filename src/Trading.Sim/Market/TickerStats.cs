namespace Trading.Sim.Market;

/// <summary>One 24hr ticker: prices, volumes (base and quote), the window's trade ids and count, and its times.</summary>
internal readonly record struct TickerStats(decimal Open, decimal High, decimal Low, decimal Last, decimal LastQuantity, decimal Volume,
    decimal QuoteVolume, decimal PrevClose, long FirstId, long LastId, int Count, long OpenTime, long CloseTime)
{
    public decimal Change => Last - Open;

    public decimal ChangePercent => Open == 0 ? 0 : Math.Round((Last - Open) / Open * 100, 3, MidpointRounding.AwayFromZero);

    public decimal WeightedAverage => Volume == 0 ? 0 : Math.Round(QuoteVolume / Volume, 8, MidpointRounding.AwayFromZero);
}
