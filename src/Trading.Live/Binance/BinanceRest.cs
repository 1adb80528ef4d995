using System.Globalization;
using System.Net;
using Trading.Core.Market;

namespace Trading.Live.Binance;

/// <summary>
/// The REST calls the engine makes (binance.md §5): exchangeInfo (filters → <see cref="SymbolRules"/>), time (the clock
/// offset) and klines (warm-up and gap fills). Public endpoints only, so no key or secret is involved. Each call is a
/// Task on <see cref="HttpClient"/>; on the loop it is awaited with <c>Loop.Await</c>, never blocked on. A non-2xx
/// answer throws <see cref="BinanceRestException"/> with the venue's code and message.
/// </summary>
public sealed class BinanceRest(HttpClient http, Uri baseUrl)
{
    public async Task<SymbolRules> ExchangeInfoAsync(string symbol, CancellationToken cancel = default)
    {
        var body = await GetAsync($"/api/v3/exchangeInfo?symbol={Uri.EscapeDataString(symbol)}", cancel).ConfigureAwait(false);
        return ExchangeInfoParser.Parse(body, symbol);
    }

    /// <summary>The venue's clock, ms since the epoch.</summary>
    public async Task<long> ServerTimeAsync(CancellationToken cancel = default)
    {
        var body = await GetAsync("/api/v3/time", cancel).ConfigureAwait(false);
        return VenueOrderParser.ReadLong(body, "serverTime"u8);
    }

    /// <summary>
    /// The newest <paramref name="limit"/> (≤ 999) closed klines, oldest first. Without bounds the venue's newest kline
    /// is the bucket still forming (Binance always has one for the current time, and a simulator replaying a candle has
    /// one too), so one more is asked for and the newest is dropped; any kline closing after <paramref name="closedBy"/>
    /// (ms) is dropped as well.
    /// </summary>
    public async Task<List<Candle>> KlinesAsync(string symbol, string interval, int limit, long closedBy, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 999);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var path = string.Create(CultureInfo.InvariantCulture, $"/api/v3/klines?symbol={Uri.EscapeDataString(symbol)}&interval={interval}&limit={limit + 1}");
        var body = await GetAsync(path, cancel).ConfigureAwait(false);
        var all = KlineArrayParser.Parse(body, closedBy);
        if (all.Count > 0)
        {
            all.RemoveAt(all.Count - 1);
        }

        return all;
    }

    /// <summary>
    /// The klines opening in [<paramref name="startTime"/>, <paramref name="endTime"/>] (ms), oldest first, at most
    /// <paramref name="limit"/> (≤ 1000) — a gap fill's range, all of which the caller knows to be closed (it ends before
    /// the bucket the stream is in), so nothing is dropped.
    /// </summary>
    public async Task<List<Candle>> KlinesRangeAsync(string symbol, string interval, long startTime, long endTime, int limit, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var path = string.Create(CultureInfo.InvariantCulture,
            $"/api/v3/klines?symbol={Uri.EscapeDataString(symbol)}&interval={interval}&startTime={startTime}&endTime={endTime}&limit={limit}");
        var body = await GetAsync(path, cancel).ConfigureAwait(false);
        return KlineArrayParser.Parse(body, long.MaxValue);
    }

    private async Task<byte[]> GetAsync(string pathAndQuery, CancellationToken cancel)
    {
        using var response = await http.GetAsync(new Uri(baseUrl, pathAndQuery), cancel).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancel).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw BinanceRestException.From((int)response.StatusCode, body, pathAndQuery, response.Headers.RetryAfter?.Delta);
        }

        return body;
    }
}
