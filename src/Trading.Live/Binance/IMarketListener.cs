namespace Trading.Live.Binance;

/// <summary>What a <see cref="MarketStream"/> reports, on the loop thread.</summary>
public interface IMarketListener
{
    void OnMarketConnected();

    /// <summary>One parsed frame; <paramref name="message"/> is reused for the next one.</summary>
    void OnMarket(ref MarketMessage message);

    /// <summary>The connection ended (peer close, error, or our own close); <paramref name="error"/> is null for a clean close.</summary>
    void OnMarketClosed(string? error);

    /// <summary>A frame that did not parse (malformed, truncated) or of a kind this client does not use: counted and skipped.</summary>
    void OnBadFrame(string kind, string detail)
    {
    }

    /// <summary>The answer to <see cref="MarketStream.VerifySubscriptions"/>: whether every stream asked for is subscribed.</summary>
    void OnSubscriptionsVerified(bool ok, string detail)
    {
    }
}
