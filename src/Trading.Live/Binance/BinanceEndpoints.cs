namespace Trading.Live.Binance;

/// <summary>
/// Where a Binance-compatible venue lives (binance.md §0): REST base (the API is under <c>/api/v3</c>), market-stream
/// base (combined streams under <c>/stream</c>) and the WebSocket API endpoint.
/// </summary>
public sealed record BinanceEndpoints(Uri RestUrl, Uri StreamUrl, Uri WebSocketApiUrl)
{
    public static BinanceEndpoints Production { get; } = new(
        new Uri("https://api.binance.com"), new Uri("wss://stream.binance.com:9443"), new Uri("wss://ws-api.binance.com:443/ws-api/v3"));

    public static BinanceEndpoints Testnet { get; } = new(
        new Uri("https://testnet.binance.vision"), new Uri("wss://stream.testnet.binance.vision"), new Uri("wss://ws-api.testnet.binance.vision/ws-api/v3"));

    /// <summary>A simulator (or any local venue) at http://host:port: REST, /stream and /ws-api/v3 on the same port.</summary>
    public static BinanceEndpoints Local(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var ws = new UriBuilder(baseUrl) { Scheme = baseUrl.Scheme == "https" ? "wss" : "ws", Path = "/" }.Uri;
        return new BinanceEndpoints(new UriBuilder(baseUrl) { Path = "/" }.Uri, ws, new Uri(ws, "/ws-api/v3"));
    }

    /// <summary>The combined-stream URL for <paramref name="streams"/> (e.g. btcusdt@kline_1h).</summary>
    public Uri Combined(IEnumerable<string> streams) => new(StreamUrl, "/stream?streams=" + string.Join('/', streams));
}
