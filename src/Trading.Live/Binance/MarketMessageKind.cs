namespace Trading.Live.Binance;

/// <summary>What a market-stream frame turned out to be.</summary>
public enum MarketMessageKind : byte
{
    /// <summary>Valid JSON of a shape this client does not use (another stream type); skipped.</summary>
    Unknown,

    /// <summary>A kline update; <see cref="MarketMessage.KlineClosed"/> says whether the bucket is final.</summary>
    Kline,

    BookTicker,

    Trade,

    /// <summary>The server's planned-shutdown notice: reconnect.</summary>
    ServerShutdown,

    /// <summary>The reply to a SUBSCRIBE/UNSUBSCRIBE/property control message (<c>{"result":…,"id":…}</c>).</summary>
    ControlReply,
}
