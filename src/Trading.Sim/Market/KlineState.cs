namespace Trading.Sim.Market;

/// <summary>
/// A kline being built from trades (or a finished one). Taker-buy volumes count trades where the buyer was the taker
/// (<c>m == false</c>). <see cref="FirstTradeId"/>/<see cref="LastTradeId"/> are -1 while empty.
/// </summary>
internal sealed class KlineState
{
    public long OpenTime { get; private set; }

    public long CloseTime { get; private set; }

    public decimal Open { get; private set; }

    public decimal High { get; private set; }

    public decimal Low { get; private set; }

    public decimal Close { get; private set; }

    public decimal Volume { get; private set; }

    public decimal QuoteVolume { get; private set; }

    public decimal TakerBuyVolume { get; private set; }

    public decimal TakerBuyQuoteVolume { get; private set; }

    public int Trades { get; private set; }

    public long FirstTradeId { get; private set; } = -1;

    public long LastTradeId { get; private set; } = -1;

    public void Reset(long openTime, long intervalMs)
    {
        OpenTime = openTime;
        CloseTime = openTime + intervalMs - 1;
        Open = High = Low = Close = Volume = QuoteVolume = TakerBuyVolume = TakerBuyQuoteVolume = 0;
        Trades = 0;
        FirstTradeId = LastTradeId = -1;
    }

    public void Add(long tradeId, decimal price, decimal quantity, bool buyerIsMaker)
    {
        if (Trades == 0)
        {
            Open = High = Low = price;
            FirstTradeId = tradeId;
        }

        High = Math.Max(High, price);
        Low = Math.Min(Low, price);
        Close = price;
        Volume += quantity;
        QuoteVolume += price * quantity;
        if (!buyerIsMaker)
        {
            TakerBuyVolume += quantity;
            TakerBuyQuoteVolume += price * quantity;
        }

        Trades++;
        LastTradeId = tradeId;
    }

    /// <summary>Folds a finer kline of the same bucket into this one (which it must follow in time): exact aggregation.</summary>
    public void Merge(KlineState k)
    {
        if (k.Trades == 0)
        {
            return;
        }

        if (Trades == 0)
        {
            Open = k.Open;
            High = k.High;
            Low = k.Low;
            FirstTradeId = k.FirstTradeId;
        }

        High = Math.Max(High, k.High);
        Low = Math.Min(Low, k.Low);
        Close = k.Close;
        Volume += k.Volume;
        QuoteVolume += k.QuoteVolume;
        TakerBuyVolume += k.TakerBuyVolume;
        TakerBuyQuoteVolume += k.TakerBuyQuoteVolume;
        Trades += k.Trades;
        LastTradeId = k.LastTradeId;
    }
}
