using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Trading.Core.Orders;
using Trading.Sim.Market;
using Trading.Sim.Matching;

namespace Trading.Sim.Api;

/// <summary>
/// Writes Binance's JSON shapes (field names, order and types as documented): decimals as strings with 8 decimals,
/// ids, counts and times as integers, flags as booleans.
/// </summary>
internal static partial class BinanceJson
{
    public static string D(decimal value) => value.ToString("F8", CultureInfo.InvariantCulture);

    public static byte[] Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string TypeName(OrderSnapshot o) => (o.Trigger, o.Type) switch
    {
        (TriggerKind.StopLoss, OrderType.Market) => "STOP_LOSS",
        (TriggerKind.StopLoss, _) => "STOP_LOSS_LIMIT",
        (TriggerKind.TakeProfit, OrderType.Market) => "TAKE_PROFIT",
        (TriggerKind.TakeProfit, _) => "TAKE_PROFIT_LIMIT",
        (_, OrderType.Market) => "MARKET",
        _ => o.PostOnly ? "LIMIT_MAKER" : "LIMIT",
    };

    public static string TifName(TimeInForce tif) => tif switch
    {
        TimeInForce.Ioc => "IOC",
        TimeInForce.Fok => "FOK",
        _ => "GTC",
    };

    public static string SideName(OrderSide side) => side == OrderSide.Buy ? "BUY" : "SELL";

    public static string StatusName(Core.Orders.OrderStatus status) => status switch
    {
        Core.Orders.OrderStatus.New => "NEW",
        Core.Orders.OrderStatus.PartiallyFilled => "PARTIALLY_FILLED",
        Core.Orders.OrderStatus.Filled => "FILLED",
        Core.Orders.OrderStatus.Canceled => "CANCELED",
        Core.Orders.OrderStatus.Rejected => "REJECTED",
        _ => "EXPIRED",
    };

    /// <summary>order.place / POST /api/v3/order result in ACK, RESULT or FULL form.</summary>
    public static void OrderResult(Utf8JsonWriter w, string symbol, OrderSnapshot o, string respType, IReadOnlyList<SimFill> fills)
    {
        w.WriteStartObject();
        w.WriteString("symbol", symbol);
        w.WriteNumber("orderId", o.OrderId);
        w.WriteNumber("orderListId", o.OrderListId);
        w.WriteString("clientOrderId", o.ClientOrderId);
        w.WriteNumber("transactTime", o.UpdateTime);
        if (respType != "ACK")
        {
            w.WriteString("price", D(o.Price));
            w.WriteString("origQty", D(o.OrigQty));
            w.WriteString("executedQty", D(o.ExecutedQty));
            w.WriteString("origQuoteOrderQty", D(o.OrigQuoteQty));
            w.WriteString("cummulativeQuoteQty", D(o.CumQuote));
            w.WriteString("status", StatusName(o.Status));
            w.WriteString("timeInForce", TifName(o.TimeInForce));
            w.WriteString("type", TypeName(o));
            w.WriteString("side", SideName(o.Side));
            if (o.Trigger != TriggerKind.None)
            {
                w.WriteString("stopPrice", D(o.StopPrice));
            }

            w.WriteNumber("workingTime", o.WorkingTime);
            w.WriteString("selfTradePreventionMode", "NONE");
            if (o.ExpiryReason is { } reason)
            {
                w.WriteString("expiryReason", reason);
            }
        }

        if (respType == "FULL")
        {
            w.WriteStartArray("fills");
            foreach (var f in fills)
            {
                w.WriteStartObject();
                w.WriteString("price", D(f.Price));
                w.WriteString("qty", D(f.Quantity));
                w.WriteString("commission", D(f.Commission));
                w.WriteString("commissionAsset", f.CommissionAsset);
                w.WriteNumber("tradeId", f.TradeId);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>order.cancel / DELETE /api/v3/order result.</summary>
    public static void CancelResult(Utf8JsonWriter w, string symbol, OrderSnapshot o, string origClientOrderId)
    {
        w.WriteStartObject();
        w.WriteString("symbol", symbol);
        w.WriteString("origClientOrderId", origClientOrderId);
        w.WriteNumber("orderId", o.OrderId);
        w.WriteNumber("orderListId", o.OrderListId);
        w.WriteString("clientOrderId", o.ClientOrderId);
        w.WriteNumber("transactTime", o.UpdateTime);
        w.WriteString("price", D(o.Price));
        w.WriteString("origQty", D(o.OrigQty));
        w.WriteString("executedQty", D(o.ExecutedQty));
        w.WriteString("origQuoteOrderQty", D(o.OrigQuoteQty));
        w.WriteString("cummulativeQuoteQty", D(o.CumQuote));
        w.WriteString("status", StatusName(o.Status));
        w.WriteString("timeInForce", TifName(o.TimeInForce));
        w.WriteString("type", TypeName(o));
        w.WriteString("side", SideName(o.Side));
        if (o.Trigger != TriggerKind.None)
        {
            w.WriteString("stopPrice", D(o.StopPrice));
        }

        w.WriteString("selfTradePreventionMode", "NONE");
        w.WriteEndObject();
    }

    /// <summary>The listStatus user-data event of an order list.</summary>
    public static void ListStatus(Utf8JsonWriter w, string symbol, long eventTime, OrderListEvent l)
    {
        w.WriteStartObject();
        w.WriteString("e", "listStatus");
        w.WriteNumber("E", eventTime);
        w.WriteString("s", symbol);
        w.WriteNumber("g", l.OrderListId);
        w.WriteString("c", "OCO");
        w.WriteString("l", l.StatusType);
        w.WriteString("L", l.OrderStatus);
        w.WriteString("r", "NONE");
        w.WriteString("C", l.ListClientOrderId);
        w.WriteNumber("T", l.TransactionTime);
        w.WriteStartArray("O");
        foreach (var (id, cid) in l.Orders)
        {
            w.WriteStartObject();
            w.WriteString("s", symbol);
            w.WriteNumber("i", id);
            w.WriteString("c", cid);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>orderList.place.oco / POST /api/v3/orderList/oco result: the list, its orders and their reports.</summary>
    public static void OrderListResult(Utf8JsonWriter w, string symbol, OrderListEvent l, IReadOnlyList<(OrderSnapshot Order, IReadOnlyList<SimFill> Fills)> reports, string respType)
    {
        w.WriteStartObject();
        w.WriteNumber("orderListId", l.OrderListId);
        w.WriteString("contingencyType", "OCO");
        w.WriteString("listStatusType", l.StatusType);
        w.WriteString("listOrderStatus", l.OrderStatus);
        w.WriteString("listClientOrderId", l.ListClientOrderId);
        w.WriteNumber("transactionTime", l.TransactionTime);
        w.WriteString("symbol", symbol);
        w.WriteStartArray("orders");
        foreach (var (id, cid) in l.Orders)
        {
            w.WriteStartObject();
            w.WriteString("symbol", symbol);
            w.WriteNumber("orderId", id);
            w.WriteString("clientOrderId", cid);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("orderReports");
        foreach (var (o, fills) in reports)
        {
            OrderResult(w, symbol, o, respType, fills);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>order.status / openOrders.status / GET /api/v3/order item.</summary>
    public static void OrderStatus(Utf8JsonWriter w, string symbol, OrderSnapshot o)
    {
        w.WriteStartObject();
        w.WriteString("symbol", symbol);
        w.WriteNumber("orderId", o.OrderId);
        w.WriteNumber("orderListId", o.OrderListId);
        w.WriteString("clientOrderId", o.ClientOrderId);
        w.WriteString("price", D(o.Price));
        w.WriteString("origQty", D(o.OrigQty));
        w.WriteString("executedQty", D(o.ExecutedQty));
        w.WriteString("cummulativeQuoteQty", D(o.CumQuote));
        w.WriteString("status", StatusName(o.Status));
        w.WriteString("timeInForce", TifName(o.TimeInForce));
        w.WriteString("type", TypeName(o));
        w.WriteString("side", SideName(o.Side));
        w.WriteString("stopPrice", D(o.StopPrice));
        w.WriteString("icebergQty", D(0));
        w.WriteNumber("time", o.Time);
        w.WriteNumber("updateTime", o.UpdateTime);
        w.WriteBoolean("isWorking", o.WorkingTime >= 0);
        w.WriteNumber("workingTime", o.WorkingTime);
        w.WriteString("origQuoteOrderQty", D(o.OrigQuoteQty));
        w.WriteString("selfTradePreventionMode", "NONE");
        w.WriteEndObject();
    }

    public static void ExecutionReport(Utf8JsonWriter w, string symbol, long eventTime, ExecutionReport r)
    {
        var o = r.Order;
        var f = r.Fill;
        w.WriteStartObject();
        w.WriteString("e", "executionReport");
        w.WriteNumber("E", eventTime);
        w.WriteString("s", symbol);
        w.WriteString("c", o.ClientOrderId);
        w.WriteString("S", SideName(o.Side));
        w.WriteString("o", TypeName(o));
        w.WriteString("f", TifName(o.TimeInForce));
        w.WriteString("q", D(o.OrigQty));
        w.WriteString("p", D(o.Price));
        w.WriteString("P", D(o.StopPrice));
        w.WriteString("F", D(0));
        w.WriteNumber("g", o.OrderListId);
        w.WriteString("C", r.OrigClientOrderId);
        w.WriteString("x", r.ExecutionType);
        w.WriteString("X", StatusName(o.Status));
        w.WriteString("r", "NONE");
        w.WriteNumber("i", o.OrderId);
        w.WriteString("l", D(f?.Quantity ?? 0));
        w.WriteString("z", D(o.ExecutedQty));
        w.WriteString("L", D(f?.Price ?? 0));
        w.WriteString("n", f is { } fc ? D(fc.Commission) : "0");
        if (f is null)
        {
            w.WriteNull("N");
        }
        else
        {
            w.WriteString("N", f.Value.CommissionAsset);
        }

        w.WriteNumber("T", f?.Time ?? o.UpdateTime);
        w.WriteNumber("t", f?.TradeId ?? -1);
        w.WriteNumber("I", r.ExecutionId);
        // w: "is the order on the book?" — never for a MARKET order or one that traded at once.
        w.WriteBoolean("w", o.IsOpen && o.OnBook);
        w.WriteBoolean("m", f?.IsMaker ?? false);
        w.WriteBoolean("M", false);
        w.WriteNumber("O", o.Time);
        w.WriteString("Z", D(o.CumQuote));
        w.WriteString("Y", D(f is { } fy ? fy.Price * fy.Quantity : 0));
        w.WriteString("Q", D(o.OrigQuoteQty));
        if (o.OnBook)
        {
            // W: "only visible if the order has been placed on the book".
            w.WriteNumber("W", o.WorkingTime);
        }

        w.WriteString("V", "NONE");
        if (r.ExecutionType == "EXPIRED" && o.ExpiryReason is { } reason)
        {
            w.WriteString("eR", reason);
        }

        w.WriteEndObject();
    }

    public static void AccountPosition(Utf8JsonWriter w, long eventTime, long updateTime, IReadOnlyList<BalanceSnapshot> balances)
    {
        w.WriteStartObject();
        w.WriteString("e", "outboundAccountPosition");
        w.WriteNumber("E", eventTime);
        w.WriteNumber("u", updateTime);
        w.WriteStartArray("B");
        foreach (var b in balances)
        {
            w.WriteStartObject();
            w.WriteString("a", b.Asset);
            w.WriteString("f", D(b.Free));
            w.WriteString("l", D(b.Locked));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Trade(Utf8JsonWriter w, string symbol, in MarketEvent e)
    {
        w.WriteStartObject();
        w.WriteString("e", "trade");
        w.WriteNumber("E", e.Time);
        w.WriteString("s", symbol);
        w.WriteNumber("t", e.TradeId);
        w.WriteString("p", D(e.Trade.Price));
        w.WriteString("q", D(e.Trade.Quantity));
        w.WriteNumber("T", e.Trade.Time);
        w.WriteBoolean("m", e.BuyerIsMaker);
        w.WriteBoolean("M", true);
        w.WriteEndObject();
    }

    public static void Kline(Utf8JsonWriter w, string symbol, string interval, long eventTime, KlineState k, bool closed)
    {
        w.WriteStartObject();
        w.WriteString("e", "kline");
        w.WriteNumber("E", eventTime);
        w.WriteString("s", symbol);
        w.WriteStartObject("k");
        w.WriteNumber("t", k.OpenTime);
        w.WriteNumber("T", k.CloseTime);
        w.WriteString("s", symbol);
        w.WriteString("i", interval);
        w.WriteNumber("f", k.FirstTradeId);
        w.WriteNumber("L", k.LastTradeId);
        w.WriteString("o", D(k.Open));
        w.WriteString("c", D(k.Close));
        w.WriteString("h", D(k.High));
        w.WriteString("l", D(k.Low));
        w.WriteString("v", D(k.Volume));
        w.WriteNumber("n", k.Trades);
        w.WriteBoolean("x", closed);
        w.WriteString("q", D(k.QuoteVolume));
        w.WriteString("V", D(k.TakerBuyVolume));
        w.WriteString("Q", D(k.TakerBuyQuoteVolume));
        w.WriteString("B", "0");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void BookTicker(Utf8JsonWriter w, string symbol, long updateId, decimal bid, decimal bidQty, decimal ask, decimal askQty)
    {
        w.WriteStartObject();
        w.WriteNumber("u", updateId);
        w.WriteString("s", symbol);
        w.WriteString("b", D(bid));
        w.WriteString("B", D(bidQty));
        w.WriteString("a", D(ask));
        w.WriteString("A", D(askQty));
        w.WriteEndObject();
    }

    /// <summary>One kline as Binance's 12-element array (REST klines and the WebSocket API klines method).</summary>
    public static void KlineArray(Utf8JsonWriter w, KlineState k)
    {
        w.WriteStartArray();
        w.WriteNumberValue(k.OpenTime);
        w.WriteStringValue(D(k.Open));
        w.WriteStringValue(D(k.High));
        w.WriteStringValue(D(k.Low));
        w.WriteStringValue(D(k.Close));
        w.WriteStringValue(D(k.Volume));
        w.WriteNumberValue(k.CloseTime);
        w.WriteStringValue(D(k.QuoteVolume));
        w.WriteNumberValue(k.Trades);
        w.WriteStringValue(D(k.TakerBuyVolume));
        w.WriteStringValue(D(k.TakerBuyQuoteVolume));
        w.WriteStringValue("0");
        w.WriteEndArray();
    }

    /// <summary>One myTrades item.</summary>
    public static void MyTrade(Utf8JsonWriter w, string symbol, in SimFill f)
    {
        w.WriteStartObject();
        w.WriteString("symbol", symbol);
        w.WriteNumber("id", f.TradeId);
        w.WriteNumber("orderId", f.OrderId);
        w.WriteNumber("orderListId", f.OrderListId);
        w.WriteString("price", D(f.Price));
        w.WriteString("qty", D(f.Quantity));
        w.WriteString("quoteQty", D(f.Price * f.Quantity));
        w.WriteString("commission", D(f.Commission));
        w.WriteString("commissionAsset", f.CommissionAsset);
        w.WriteNumber("time", f.Time);
        w.WriteBoolean("isBuyer", f.Side == OrderSide.Buy);
        w.WriteBoolean("isMaker", f.IsMaker);
        w.WriteBoolean("isBestMatch", true);
        w.WriteEndObject();
    }

    /// <summary>One item of the account's balances.</summary>
    public static void Balance(Utf8JsonWriter w, in BalanceSnapshot b)
    {
        w.WriteStartObject();
        w.WriteString("asset", b.Asset);
        w.WriteString("free", D(b.Free));
        w.WriteString("locked", D(b.Locked));
        w.WriteEndObject();
    }

    /// <summary>An error; with <paramref name="retryAfterMs"/> the WebSocket API's <c>data</c> object
    /// (<c>serverTime</c>, <c>retryAfter</c>) of a 429 / 418.</summary>
    public static void Error(Utf8JsonWriter w, int code, string msg, long? retryAfterMs, long serverTime)
    {
        w.WriteStartObject();
        w.WriteNumber("code", code);
        w.WriteString("msg", msg);
        if (retryAfterMs is { } retry)
        {
            w.WriteStartObject("data");
            w.WriteNumber("serverTime", serverTime);
            w.WriteNumber("retryAfter", retry);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>The WebSocket API envelope: id, status, result or error (raw JSON), and the rate limits unless null.</summary>
    public static void Envelope(Utf8JsonWriter w, string requestId, int status, bool isError, byte[] body, IReadOnlyList<RateLimitCount>? limits)
    {
        w.WriteStartObject();
        w.WritePropertyName("id");
        w.WriteRawValue(requestId, skipInputValidation: true);
        w.WriteNumber("status", status);
        w.WritePropertyName(isError ? "error" : "result");
        w.WriteRawValue(body, skipInputValidation: true);
        if (limits is not null)
        {
            w.WriteStartArray("rateLimits");
            foreach (var l in limits)
            {
                w.WriteStartObject();
                w.WriteString("rateLimitType", l.Type);
                w.WriteString("interval", l.Interval);
                w.WriteNumber("intervalNum", l.IntervalNum);
                w.WriteNumber("limit", l.Limit);
                w.WriteNumber("count", l.Count);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    public static void ServerTime(Utf8JsonWriter w, long serverTime)
    {
        w.WriteStartObject();
        w.WriteNumber("serverTime", serverTime);
        w.WriteEndObject();
    }

    public static void Error(Utf8JsonWriter w, int code, string msg)
    {
        w.WriteStartObject();
        w.WriteNumber("code", code);
        w.WriteString("msg", msg);
        w.WriteEndObject();
    }
}
