using System.Text.Json;
using Trading.Core.Market;
using Trading.Sim.Matching;

namespace Trading.Sim.Api;

/// <summary>The larger query shapes: account, exchangeInfo, the REST/WebSocket API book ticker.</summary>
internal static partial class BinanceJson
{
    /// <summary>account.status / GET /api/v3/account.</summary>
    public static void Account(Utf8JsonWriter w, decimal makerRate, decimal takerRate, long updateTime, IEnumerable<BalanceSnapshot> balances)
    {
        w.WriteStartObject();
        w.WriteNumber("makerCommission", (int)(makerRate * 10_000));
        w.WriteNumber("takerCommission", (int)(takerRate * 10_000));
        w.WriteNumber("buyerCommission", 0);
        w.WriteNumber("sellerCommission", 0);
        w.WriteStartObject("commissionRates");
        w.WriteString("maker", D(makerRate));
        w.WriteString("taker", D(takerRate));
        w.WriteString("buyer", D(0));
        w.WriteString("seller", D(0));
        w.WriteEndObject();
        w.WriteBoolean("canTrade", true);
        w.WriteBoolean("canWithdraw", false);
        w.WriteBoolean("canDeposit", false);
        w.WriteBoolean("brokered", false);
        w.WriteBoolean("requireSelfTradePrevention", false);
        w.WriteBoolean("preventSor", false);
        w.WriteNumber("updateTime", updateTime);
        w.WriteString("accountType", "SPOT");
        w.WriteStartArray("balances");
        foreach (var b in balances)
        {
            Balance(w, b);
        }

        w.WriteEndArray();
        w.WriteStartArray("permissions");
        w.WriteStringValue("SPOT");
        w.WriteEndArray();
        w.WriteNumber("uid", 1);
        w.WriteEndObject();
    }

    /// <summary>exchangeInfo for the one simulated symbol, with the given rate limits.</summary>
    public static void ExchangeInfo(Utf8JsonWriter w, long serverTime, IEnumerable<RateLimit> limits, Instrument i)
    {
        w.WriteStartObject();
        w.WriteString("timezone", "UTC");
        w.WriteNumber("serverTime", serverTime);
        w.WriteStartArray("rateLimits");
        foreach (var l in limits)
        {
            w.WriteStartObject();
            w.WriteString("rateLimitType", l.Type);
            w.WriteString("interval", l.Interval);
            w.WriteNumber("intervalNum", l.IntervalNum);
            w.WriteNumber("limit", l.Limit);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("exchangeFilters");
        w.WriteEndArray();
        w.WriteStartArray("symbols");
        w.WriteStartObject();
        w.WriteString("symbol", i.Symbol);
        w.WriteString("status", "TRADING");
        w.WriteString("baseAsset", i.BaseAsset);
        w.WriteNumber("baseAssetPrecision", 8);
        w.WriteString("quoteAsset", i.QuoteAsset);
        w.WriteNumber("quotePrecision", 8);
        w.WriteNumber("quoteAssetPrecision", 8);
        w.WriteNumber("baseCommissionPrecision", 8);
        w.WriteNumber("quoteCommissionPrecision", 8);
        w.WriteStartArray("orderTypes");
        w.WriteStringValue("LIMIT");
        w.WriteStringValue("LIMIT_MAKER");
        w.WriteStringValue("MARKET");
        w.WriteStringValue("STOP_LOSS");
        w.WriteStringValue("STOP_LOSS_LIMIT");
        w.WriteStringValue("TAKE_PROFIT");
        w.WriteStringValue("TAKE_PROFIT_LIMIT");
        w.WriteEndArray();
        w.WriteBoolean("icebergAllowed", false);
        w.WriteBoolean("ocoAllowed", true);
        w.WriteBoolean("otoAllowed", false);
        w.WriteBoolean("quoteOrderQtyMarketAllowed", true);
        w.WriteBoolean("allowTrailingStop", false);
        w.WriteBoolean("cancelReplaceAllowed", false);
        w.WriteBoolean("amendAllowed", false);
        w.WriteBoolean("isSpotTradingAllowed", true);
        w.WriteBoolean("isMarginTradingAllowed", false);
        w.WriteStartArray("filters");
        w.WriteStartObject();
        w.WriteString("filterType", "PRICE_FILTER");
        w.WriteString("minPrice", D(i.TickSize));
        w.WriteString("maxPrice", D(1_000_000m));
        w.WriteString("tickSize", D(i.TickSize));
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("filterType", "LOT_SIZE");
        w.WriteString("minQty", D(i.MinQuantity));
        w.WriteString("maxQty", D(9_000m));
        w.WriteString("stepSize", D(i.LotStep));
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("filterType", "NOTIONAL");
        w.WriteString("minNotional", D(i.MinNotional));
        w.WriteBoolean("applyMinToMarket", true);
        w.WriteString("maxNotional", D(9_000_000m));
        w.WriteBoolean("applyMaxToMarket", false);
        w.WriteNumber("avgPriceMins", 0);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("filterType", "MAX_NUM_ORDERS");
        w.WriteNumber("maxNumOrders", 200);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("permissions");
        w.WriteEndArray();
        w.WriteStartArray("permissionSets");
        w.WriteStartArray();
        w.WriteStringValue("SPOT");
        w.WriteEndArray();
        w.WriteEndArray();
        w.WriteString("defaultSelfTradePreventionMode", "NONE");
        w.WriteStartArray("allowedSelfTradePreventionModes");
        w.WriteStringValue("NONE");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>ticker.book / GET /api/v3/ticker/bookTicker: one object, or an array of it when no symbol was given.</summary>
    public static void BookTickerRest(Utf8JsonWriter w, string symbol, decimal bid, decimal bidQty, decimal ask, decimal askQty, bool array)
    {
        if (array)
        {
            w.WriteStartArray();
        }

        w.WriteStartObject();
        w.WriteString("symbol", symbol);
        w.WriteString("bidPrice", D(bid));
        w.WriteString("bidQty", D(bidQty));
        w.WriteString("askPrice", D(ask));
        w.WriteString("askQty", D(askQty));
        w.WriteEndObject();
        if (array)
        {
            w.WriteEndArray();
        }
    }
}
