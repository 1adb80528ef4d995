using System.Globalization;
using System.Text;
using System.Text.Json;
using Trading.Core.Orders;
using Trading.Live.Reconcile;

namespace Trading.Live.Binance;

/// <summary>
/// Reads the answers reconciliation asks for (binance.md §2.4–2.6): <c>order.status</c> / <c>openOrders.status</c> /
/// <c>allOrders</c> orders keyed by their client order id string (they span runs, so this run's sequence numbers do
/// not apply), <c>myTrades</c> trades, and <c>account.status</c> balances and taker rate. Reconciliation is rare (start,
/// reconnect, a periodic check), so these use a <see cref="JsonDocument"/> and allocate. Malformed input throws
/// <see cref="FormatException"/> or <see cref="JsonException"/>.
/// </summary>
public static class VenueQueryParser
{
    /// <summary>One order object.</summary>
    public static VenueOrderState Order(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        return Order(doc.RootElement);
    }

    /// <summary>An array of order objects.</summary>
    public static List<VenueOrderState> Orders(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        return doc.RootElement.EnumerateArray().Select(Order).ToList();
    }

    /// <summary>An array of <c>myTrades</c> trades; commissions sorted into base / quote / other by asset name.</summary>
    public static List<VenueTrade> Trades(ReadOnlySpan<byte> json, string baseAsset, string quoteAsset)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var list = new List<VenueTrade>();
        foreach (var t in doc.RootElement.EnumerateArray())
        {
            var asset = t.GetProperty("commissionAsset").GetString();
            list.Add(new VenueTrade(
                t.GetProperty("id").GetInt64(),
                t.GetProperty("orderId").GetInt64(),
                t.GetProperty("isBuyer").GetBoolean() ? OrderSide.Buy : OrderSide.Sell,
                Dec(t, "qty"),
                Dec(t, "price"),
                Dec(t, "commission"),
                asset == baseAsset ? CommissionAsset.Base : asset == quoteAsset ? CommissionAsset.Quote : CommissionAsset.Other,
                t.TryGetProperty("isMaker", out var m) && m.GetBoolean(),
                t.GetProperty("time").GetInt64()));
        }

        return list;
    }

    /// <summary><c>account.status</c>: the instrument's two balances (free and locked) and the taker rate when given.</summary>
    public static (VenueBalances Balances, decimal? TakerRate) Account(ReadOnlySpan<byte> json, string baseAsset, string quoteAsset)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        decimal baseFree = 0, baseLocked = 0, quoteFree = 0, quoteLocked = 0;
        if (root.TryGetProperty("balances", out var balances))
        {
            foreach (var b in balances.EnumerateArray())
            {
                var asset = b.GetProperty("asset").GetString();
                if (asset == baseAsset)
                {
                    (baseFree, baseLocked) = (Dec(b, "free"), Dec(b, "locked"));
                }
                else if (asset == quoteAsset)
                {
                    (quoteFree, quoteLocked) = (Dec(b, "free"), Dec(b, "locked"));
                }
            }
        }

        decimal? taker = root.TryGetProperty("commissionRates", out var rates) && rates.TryGetProperty("taker", out var t) && t.GetString() is { } text
            ? decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
        return (new VenueBalances(baseFree, baseLocked, quoteFree, quoteLocked), taker);
    }

    /// <summary><c>time</c>: the server's clock (ms).</summary>
    public static long ServerTime(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        return doc.RootElement.GetProperty("serverTime").GetInt64();
    }

    private static VenueOrderState Order(JsonElement o) => new(
        o.GetProperty("clientOrderId").GetString() ?? throw new FormatException("clientOrderId: expected a string"),
        o.GetProperty("orderId").GetInt64(),
        BinanceEnums.Status(Encoding.UTF8.GetBytes(o.GetProperty("status").GetString() ?? "")),
        BinanceEnums.Side(Encoding.UTF8.GetBytes(o.GetProperty("side").GetString() ?? "")),
        Dec(o, "price"),
        Dec(o, "origQty"),
        Dec(o, "executedQty"),
        o.TryGetProperty("updateTime", out var u) ? u.GetInt64() : o.TryGetProperty("transactTime", out var tt) ? tt.GetInt64() : 0);

    private static decimal Dec(JsonElement e, string name) =>
        decimal.Parse(e.GetProperty(name).GetString() ?? throw new FormatException($"{name}: expected a string"), NumberStyles.Float, CultureInfo.InvariantCulture);
}
