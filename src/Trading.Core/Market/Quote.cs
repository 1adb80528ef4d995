namespace Trading.Core.Market;

/// <summary>Best bid and ask (top of book). <see cref="Time"/> is ms since the Unix epoch, UTC.</summary>
public readonly record struct Quote(long Time, double BidPrice, double BidQuantity, double AskPrice, double AskQuantity)
{
    /// <summary>Mid price, (bid + ask) / 2.</summary>
    public double Mid => (BidPrice + AskPrice) / 2;
}
