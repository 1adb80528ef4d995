using Trading.Core.Market;

namespace Trading.Live.Binance;

/// <summary>
/// One parsed market-stream frame; only the members of its <see cref="Kind"/> are meaningful. A plain value: parsing
/// fills it in place (<see cref="MarketMessageParser.Parse"/>), nothing is allocated.
/// </summary>
public struct MarketMessage
{
    public MarketMessageKind Kind;

    /// <summary>The payload's event time (<c>E</c>), ms; 0 for bookTicker, which has none.</summary>
    public long EventTime;

    /// <summary>Kline: the bucket so far (or final when <see cref="KlineClosed"/>).</summary>
    public Candle Candle;

    /// <summary>Kline: <c>k.x</c>, the bucket is closed and will not change again.</summary>
    public bool KlineClosed;

    /// <summary>Kline: the bucket's close time (<c>k.T</c>, open + interval − 1 ms).</summary>
    public long KlineCloseTime;

    /// <summary>BookTicker: best bid/ask, stamped with the receive time given to the parser (the stream has no time).</summary>
    public Quote Quote;

    /// <summary>BookTicker: the book update id <c>u</c>.</summary>
    public long BookUpdateId;

    public Trade Trade;
}
