using System.Globalization;
using System.Text.Json;
using Trading.Core.Market;

namespace Trading.Live.Binance;

/// <summary>
/// Turns an exchangeInfo result (binance.md §5.2) into <see cref="SymbolRules"/>: PRICE_FILTER's tickSize, LOT_SIZE's
/// stepSize/minQty/maxQty, NOTIONAL's (or the older MIN_NOTIONAL's) minNotional/maxNotional and MAX_NUM_ORDERS.
/// Start-up only, so it uses <see cref="JsonDocument"/>. A missing symbol or filter field throws
/// <see cref="FormatException"/> naming it.
/// </summary>
public static class ExchangeInfoParser
{
    public static SymbolRules Parse(ReadOnlySpan<byte> json, string symbol)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        JsonElement? found = null;
        foreach (var s in Array(root, "symbols").EnumerateArray())
        {
            if (s.TryGetProperty("symbol", out var name) && name.GetString() == symbol)
            {
                found = s;
                break;
            }
        }

        var sym = found ?? throw new FormatException($"exchangeInfo: symbol {symbol} not listed");
        decimal tick = 0, step = 0, minQty = 0, maxQty = 0, minNotional = 0, maxNotional = 0;
        var maxOrders = 0;
        foreach (var f in Array(sym, "filters").EnumerateArray())
        {
            switch (Str(f, "filterType"))
            {
                case "PRICE_FILTER":
                    tick = Dec(f, "tickSize");
                    break;
                case "LOT_SIZE":
                    step = Dec(f, "stepSize");
                    minQty = Dec(f, "minQty");
                    maxQty = Dec(f, "maxQty");
                    break;
                case "NOTIONAL":
                    minNotional = Dec(f, "minNotional");
                    maxNotional = f.TryGetProperty("maxNotional", out _) ? Dec(f, "maxNotional") : 0;
                    break;
                case "MIN_NOTIONAL" when minNotional == 0:
                    minNotional = Dec(f, "minNotional");
                    break;
                case "MAX_NUM_ORDERS":
                    maxOrders = f.GetProperty("maxNumOrders").GetInt32();
                    break;
            }
        }

        var limits = new List<RateLimitEntry>();
        if (root.TryGetProperty("rateLimits", out var rl))
        {
            foreach (var l in rl.EnumerateArray())
            {
                var type = Str(l, "rateLimitType") switch
                {
                    "REQUEST_WEIGHT" => RateLimitType.RequestWeight,
                    "ORDERS" => RateLimitType.Orders,
                    "RAW_REQUESTS" => RateLimitType.RawRequests,
                    _ => RateLimitType.Other,
                };
                limits.Add(new RateLimitEntry(type, Str(l, "interval")[0], l.GetProperty("intervalNum").GetInt32(), l.GetProperty("limit").GetInt32(), 0));
            }
        }

        var instrument = new Instrument(symbol, Str(sym, "baseAsset"), Str(sym, "quoteAsset"), tick, step, minQty, minNotional);
        return new SymbolRules(instrument, Str(sym, "status"), maxQty, maxNotional, maxOrders, limits);
    }

    private static JsonElement Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v : throw new FormatException($"exchangeInfo: no '{name}' array");

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new FormatException($"exchangeInfo: no '{name}'");

    private static decimal Dec(JsonElement e, string name) =>
        decimal.Parse(Str(e, name), NumberStyles.Float, CultureInfo.InvariantCulture);
}
