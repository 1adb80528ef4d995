using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Trading.Core.Orders;

namespace Trading.Live.Binance;

/// <summary>
/// Writes WebSocket API requests (binance.md §2.1–2.7) as UTF-8 JSON into one reused buffer, signing each signed
/// method as §3.3 says: every param but <c>signature</c>, sorted by name, as <c>key=value</c> joined by <c>&amp;</c>,
/// raw UTF-8, HMAC-SHA256 in hex. The params are written in that sorted order by construction, so the same bytes feed
/// the JSON and the signature, and nothing is sorted or allocated per request.
/// <para>Trap: the returned memory is this writer's buffer, valid only until the next write; copy it (or send it and
/// wait for the send to finish) before writing the next request. Not thread-safe: one writer per loop.</para>
/// <para>The API key is written into requests (it is not a secret: Binance sends it in every request); the secret stays
/// inside <see cref="HmacSigner"/>.</para>
/// </summary>
public sealed class ApiRequestWriter
{
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly Utf8JsonWriter _writer;
    private readonly byte[] _payload = new byte[2048];
    private readonly byte[] _apiKey;
    private readonly byte[] _symbol;
    private readonly HmacSigner _signer;
    private readonly long? _recvWindow;
    private int _payloadLength;

    /// <param name="recvWindowMs">Sent with every signed request when given (Binance's default is 5000 ms).</param>
    public ApiRequestWriter(string apiKey, HmacSigner signer, string symbol, long? recvWindowMs = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        ArgumentNullException.ThrowIfNull(signer);
        _apiKey = Encoding.UTF8.GetBytes(apiKey);
        _symbol = Encoding.UTF8.GetBytes(symbol);
        _signer = signer;
        _recvWindow = recvWindowMs;
        _writer = new Utf8JsonWriter(_json, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>The signing payload of the last signed request (for tests and diagnostics; it holds no secret).</summary>
    public ReadOnlySpan<byte> LastPayload => _payload.AsSpan(0, _payloadLength);

    /// <summary>
    /// <c>order.place</c>. <paramref name="clientOrderId"/> empty lets the venue choose; <paramref name="responseType"/>
    /// null uses the venue's default (FULL for MARKET and LIMIT). Zero price/quantity/quote/stop are left out.
    /// </summary>
    public ReadOnlyMemory<byte> Place(long id, OrderSide side, OrderType type, TimeInForce tif, decimal quantity, decimal price,
        decimal quoteQuantity, decimal stopPrice, ReadOnlySpan<byte> clientOrderId, long timestamp, string? responseType = "RESULT")
    {
        Begin(id, "order.place"u8);
        Key();
        if (!clientOrderId.IsEmpty)
        {
            Text("newClientOrderId"u8, clientOrderId);
        }

        if (responseType is not null)
        {
            Span<byte> resp = stackalloc byte[8];
            var n = Encoding.ASCII.GetBytes(responseType, resp);
            Text("newOrderRespType"u8, resp[..n]);
        }

        if (price != 0)
        {
            Decimal("price"u8, price);
        }

        if (quantity != 0)
        {
            Decimal("quantity"u8, quantity);
        }

        if (quoteQuantity != 0)
        {
            Decimal("quoteOrderQty"u8, quoteQuantity);
        }

        RecvWindow();
        Text("side"u8, BinanceEnums.SideName(side));
        if (type == OrderType.StopMarket)
        {
            Decimal("stopPrice"u8, stopPrice);
        }

        Text("symbol"u8, _symbol);
        if (type == OrderType.Limit)
        {
            Text("timeInForce"u8, BinanceEnums.TifName(tif));
        }

        Number("timestamp"u8, timestamp);
        Text("type"u8, type switch
        {
            OrderType.Market => "MARKET"u8,
            OrderType.Limit => "LIMIT"u8,
            _ => "STOP_LOSS"u8,
        });
        return End(signed: true);
    }

    /// <summary>
    /// <c>orderList.place.oco</c>: a one-cancels-other exit as one order list. <paramref name="stopLoss"/> (a stop-market
    /// order) becomes a <c>STOP_LOSS</c> leg, <paramref name="takeProfit"/> (a limit) a <c>LIMIT_MAKER</c> leg; for a SELL
    /// the limit is the above order and the stop the below one, for a BUY the other way round. Both legs share the stop
    /// order's quantity and side. ACK response: each leg's state comes on the user data stream (executionReport, listStatus).
    /// </summary>
    public ReadOnlyMemory<byte> PlaceOco(long id, Order stopLoss, ReadOnlySpan<byte> stopClientId, Order takeProfit, ReadOnlySpan<byte> takeClientId, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(stopLoss);
        ArgumentNullException.ThrowIfNull(takeProfit);
        var sell = stopLoss.Side == OrderSide.Sell;
        Begin(id, "orderList.place.oco"u8);
        // Sorted by name: above*, apiKey, below*, newOrderRespType, quantity, recvWindow, side, symbol, timestamp.
        if (sell)
        {
            OcoLeg("aboveClientOrderId"u8, takeClientId, "abovePrice"u8, takeProfit.Price, "aboveStopPrice"u8, 0, "aboveType"u8, "LIMIT_MAKER"u8);
            Key();
            OcoLeg("belowClientOrderId"u8, stopClientId, "belowPrice"u8, 0, "belowStopPrice"u8, stopLoss.StopPrice, "belowType"u8, "STOP_LOSS"u8);
        }
        else
        {
            OcoLeg("aboveClientOrderId"u8, stopClientId, "abovePrice"u8, 0, "aboveStopPrice"u8, stopLoss.StopPrice, "aboveType"u8, "STOP_LOSS"u8);
            Key();
            OcoLeg("belowClientOrderId"u8, takeClientId, "belowPrice"u8, takeProfit.Price, "belowStopPrice"u8, 0, "belowType"u8, "LIMIT_MAKER"u8);
        }

        Text("newOrderRespType"u8, "ACK"u8);
        Decimal("quantity"u8, stopLoss.Quantity);
        RecvWindow();
        Text("side"u8, BinanceEnums.SideName(stopLoss.Side));
        Text("symbol"u8, _symbol);
        Number("timestamp"u8, timestamp);
        return End(signed: true);
    }

    /// <summary><c>order.cancel</c> by client order id.</summary>
    public ReadOnlyMemory<byte> Cancel(long id, ReadOnlySpan<byte> origClientOrderId, long timestamp)
    {
        Begin(id, "order.cancel"u8);
        Key();
        Text("origClientOrderId"u8, origClientOrderId);
        RecvWindow();
        Text("symbol"u8, _symbol);
        Number("timestamp"u8, timestamp);
        return End(signed: true);
    }

    /// <summary><c>order.status</c> by client order id (how an unknown outcome is settled), or by venue order id when the id is empty.</summary>
    public ReadOnlyMemory<byte> Status(long id, ReadOnlySpan<byte> origClientOrderId, long orderId, long timestamp)
    {
        Begin(id, "order.status"u8);
        Key();
        if (orderId > 0)
        {
            Number("orderId"u8, orderId);
        }

        if (!origClientOrderId.IsEmpty)
        {
            Text("origClientOrderId"u8, origClientOrderId);
        }

        RecvWindow();
        Text("symbol"u8, _symbol);
        Number("timestamp"u8, timestamp);
        return End(signed: true);
    }

    /// <summary><c>openOrders.status</c> for this writer's symbol (weight 6, not 80).</summary>
    public ReadOnlyMemory<byte> OpenOrders(long id, long timestamp)
    {
        Begin(id, "openOrders.status"u8);
        Key();
        RecvWindow();
        Text("symbol"u8, _symbol);
        Number("timestamp"u8, timestamp);
        return End(signed: true);
    }

    /// <summary>
    /// <c>myTrades</c> for this writer's symbol (weight 20; 5 with an order id): one order's trades when
    /// <paramref name="orderId"/> &gt; 0, else the trades from trade id <paramref name="fromId"/> on; at most
    /// <paramref name="limit"/> (≤ 1000), oldest first. How reconciliation finds fills whose reports were lost.
    /// </summary>
    public ReadOnlyMemory<byte> MyTrades(long id, long orderId, long fromId, int limit, long timestamp)
    {
        Begin(id, "myTrades"u8);
        Key();
        if (fromId > 0)
        {
            Number("fromId"u8, fromId);
        }

        Number("limit"u8, limit);
        if (orderId > 0)
        {
            Number("orderId"u8, orderId);
        }

        RecvWindow();
        Text("symbol"u8, _symbol);
        Number("timestamp"u8, timestamp);
        return End(signed: true);
    }

    /// <summary><c>userDataStream.subscribe.signature</c>: the user data stream on this connection, any key type (§2.7).</summary>
    public ReadOnlyMemory<byte> SubscribeUserData(long id, long timestamp) => KeyAndTime(id, "userDataStream.subscribe.signature"u8, timestamp);

    /// <summary><c>account.status</c> (signed like the subscription: apiKey and timestamp).</summary>
    public ReadOnlyMemory<byte> AccountStatus(long id, long timestamp) => KeyAndTime(id, "account.status"u8, timestamp);

    /// <summary>
    /// <c>klines</c> for this writer's symbol (unsigned, weight 2): the candles opening in [<paramref name="startTime"/>,
    /// <paramref name="endTime"/>] (ms), at most <paramref name="limit"/> (≤ 1000), oldest first — a gap fill over the
    /// trading session itself, so it takes its place in the session's ordered, rate-limited pipeline.
    /// </summary>
    public ReadOnlyMemory<byte> Klines(long id, ReadOnlySpan<byte> interval, long startTime, long endTime, int limit)
    {
        Begin(id, "klines"u8);
        Number("endTime"u8, endTime);
        Text("interval"u8, interval);
        Number("limit"u8, limit);
        Number("startTime"u8, startTime);
        Text("symbol"u8, _symbol);
        return End(signed: false);
    }

    /// <summary>An unsigned request without params (<c>time</c>, <c>ping</c>).</summary>
    public ReadOnlyMemory<byte> Unsigned(long id, ReadOnlySpan<byte> method)
    {
        Begin(id, method);
        return End(signed: false);
    }

    private ReadOnlyMemory<byte> KeyAndTime(long id, ReadOnlySpan<byte> method, long timestamp)
    {
        Begin(id, method);
        Key();
        RecvWindow();
        Number("timestamp"u8, timestamp);
        return End(signed: true);
    }

    private void Begin(long id, ReadOnlySpan<byte> method)
    {
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        _payloadLength = 0;
        _writer.WriteStartObject();
        _writer.WriteNumber("id"u8, id);
        _writer.WriteString("method"u8, method);
        _writer.WriteStartObject("params"u8);
    }

    private ReadOnlyMemory<byte> End(bool signed)
    {
        if (signed)
        {
            // Drop the trailing '&' of the last key=value pair.
            _payloadLength = Math.Max(0, _payloadLength - 1);
            Span<byte> signature = stackalloc byte[HmacSigner.SignatureLength];
            _signer.Sign(LastPayload, signature);
            _writer.WriteString("signature"u8, signature);
        }

        _writer.WriteEndObject();
        _writer.WriteEndObject();
        _writer.Flush();
        return _json.WrittenMemory;
    }

    private void Key() => Text("apiKey"u8, _apiKey);

    /// <summary>One OCO leg's params in sorted order (client id, price, stop price, type); a zero price is left out.</summary>
    private void OcoLeg(ReadOnlySpan<byte> idName, ReadOnlySpan<byte> clientId, ReadOnlySpan<byte> priceName, decimal price,
        ReadOnlySpan<byte> stopName, decimal stopPrice, ReadOnlySpan<byte> typeName, ReadOnlySpan<byte> type)
    {
        Text(idName, clientId);
        if (price != 0)
        {
            Decimal(priceName, price);
        }

        if (stopPrice != 0)
        {
            Decimal(stopName, stopPrice);
        }

        Text(typeName, type);
    }

    private void RecvWindow()
    {
        if (_recvWindow is { } window)
        {
            Number("recvWindow"u8, window);
        }
    }

    private void Text(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        _writer.WriteString(name, value);
        AppendPayload(name, value);
    }

    private void Number(ReadOnlySpan<byte> name, long value)
    {
        _writer.WriteNumber(name, value);
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var n);
        AppendPayload(name, digits[..n]);
    }

    private void Decimal(ReadOnlySpan<byte> name, decimal value)
    {
        // Plain digits, never an exponent ("0.00847000"): decimal's general format keeps the value's own scale.
        Span<byte> digits = stackalloc byte[40];
        if (!value.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture))
        {
            throw new FormatException("decimal too long");
        }

        Text(name, digits[..n]);
    }

    private void AppendPayload(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var need = name.Length + value.Length + 2;
        if (_payloadLength + need > _payload.Length)
        {
            throw new InvalidOperationException("request parameters too long");
        }

        var span = _payload.AsSpan(_payloadLength);
        name.CopyTo(span);
        span[name.Length] = (byte)'=';
        value.CopyTo(span[(name.Length + 1)..]);
        span[name.Length + 1 + value.Length] = (byte)'&';
        _payloadLength += need;
    }
}
