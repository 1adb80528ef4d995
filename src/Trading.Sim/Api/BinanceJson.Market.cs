using System.Text.Json;
using Trading.Sim.Market;

namespace Trading.Sim.Api;

/// <summary>24hr tickers and depth, as web-socket-streams.md and rest-api.md show them.</summary>
internal static partial class BinanceJson
{
    /// <summary>The <c>&lt;symbol&gt;@ticker</c> event (24hrTicker).</summary>
    public static void TickerEvent(Utf8JsonWriter w, string symbol, long eventTime, in TickerStats t, decimal bid, decimal bidQty, decimal ask, decimal askQty)
    {
        w.WriteStartObject();
        w.WriteString("e", "24hrTicker");
        w.WriteNumber("E", eventTime);
        w.WriteString("s", symbol);
        w.WriteString("p", D(t.Change));
        w.WriteString("P", t.ChangePercent.ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("w", D(t.WeightedAverage));
        w.WriteString("x", D(t.PrevClose));
        w.WriteString("c", D(t.Last));
        w.WriteString("Q", D(t.LastQuantity));
        w.WriteString("b", D(bid));
        w.WriteString("B", D(bidQty));
        w.WriteString("a", D(ask));
        w.WriteString("A", D(askQty));
        w.WriteString("o", D(t.Open));
        w.WriteString("h", D(t.High));
        w.WriteString("l", D(t.Low));
        w.WriteString("v", D(t.Volume));
        w.WriteString("q", D(t.QuoteVolume));
        w.WriteNumber("O", t.OpenTime);
        w.WriteNumber("C", t.CloseTime);
        w.WriteNumber("F", t.FirstId);
        w.WriteNumber("L", t.LastId);
        w.WriteNumber("n", t.Count);
        w.WriteEndObject();
    }

    /// <summary>The <c>&lt;symbol&gt;@miniTicker</c> event (24hrMiniTicker).</summary>
    public static void MiniTickerEvent(Utf8JsonWriter w, string symbol, long eventTime, in TickerStats t)
    {
        w.WriteStartObject();
        w.WriteString("e", "24hrMiniTicker");
        w.WriteNumber("E", eventTime);
        w.WriteString("s", symbol);
        w.WriteString("c", D(t.Last));
        w.WriteString("o", D(t.Open));
        w.WriteString("h", D(t.High));
        w.WriteString("l", D(t.Low));
        w.WriteString("v", D(t.Volume));
        w.WriteString("q", D(t.QuoteVolume));
        w.WriteEndObject();
    }

    /// <summary>GET /api/v3/ticker/24hr (FULL) / ticker.24hr.</summary>
    public static void TickerRest(Utf8JsonWriter w, string symbol, in TickerStats t, decimal bid, decimal bidQty, decimal ask, decimal askQty)
    {
        w.WriteStartObject();
        w.WriteString("symbol", symbol);
        w.WriteString("priceChange", D(t.Change));
        w.WriteString("priceChangePercent", t.ChangePercent.ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("weightedAvgPrice", D(t.WeightedAverage));
        w.WriteString("prevClosePrice", D(t.PrevClose));
        w.WriteString("lastPrice", D(t.Last));
        w.WriteString("lastQty", D(t.LastQuantity));
        w.WriteString("bidPrice", D(bid));
        w.WriteString("bidQty", D(bidQty));
        w.WriteString("askPrice", D(ask));
        w.WriteString("askQty", D(askQty));
        w.WriteString("openPrice", D(t.Open));
        w.WriteString("highPrice", D(t.High));
        w.WriteString("lowPrice", D(t.Low));
        w.WriteString("volume", D(t.Volume));
        w.WriteString("quoteVolume", D(t.QuoteVolume));
        w.WriteNumber("openTime", t.OpenTime);
        w.WriteNumber("closeTime", t.CloseTime);
        w.WriteNumber("firstId", t.FirstId);
        w.WriteNumber("lastId", t.LastId);
        w.WriteNumber("count", t.Count);
        w.WriteEndObject();
    }

    /// <summary>A book snapshot or partial-depth event: lastUpdateId, bids, asks (at most <paramref name="levels"/> each).</summary>
    public static void Depth(Utf8JsonWriter w, long lastUpdateId, SyntheticBook book, int levels)
    {
        w.WriteStartObject();
        w.WriteNumber("lastUpdateId", lastUpdateId);
        Levels(w, "bids", book.Bids.Take(levels));
        Levels(w, "asks", book.Asks.Take(levels));
        w.WriteEndObject();
    }

    /// <summary>The <c>&lt;symbol&gt;@depth</c> diff event: first and last update id, changed levels (quantity 0: removed).</summary>
    public static void DepthUpdate(Utf8JsonWriter w, string symbol, long eventTime, long firstId, long lastId,
        IEnumerable<(decimal Price, decimal Quantity)> bids, IEnumerable<(decimal Price, decimal Quantity)> asks)
    {
        w.WriteStartObject();
        w.WriteString("e", "depthUpdate");
        w.WriteNumber("E", eventTime);
        w.WriteString("s", symbol);
        w.WriteNumber("U", firstId);
        w.WriteNumber("u", lastId);
        Levels(w, "b", bids);
        Levels(w, "a", asks);
        w.WriteEndObject();
    }

    private static void Levels(Utf8JsonWriter w, string name, IEnumerable<(decimal Price, decimal Quantity)> levels)
    {
        w.WriteStartArray(name);
        foreach (var (p, q) in levels)
        {
            w.WriteStartArray();
            w.WriteStringValue(D(p));
            w.WriteStringValue(D(q));
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }
}
