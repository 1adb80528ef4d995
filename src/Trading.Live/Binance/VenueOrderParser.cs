using System.Text.Json;
using Trading.Live.Orders;

namespace Trading.Live.Binance;

/// <summary>Reads <see cref="VenueOrder"/> results and the small results of time and subscribe, allocation-free.</summary>
public sealed class VenueOrderParser(ClientOrderIdCodec ids)
{
    /// <summary>One order object (the reader is on its start); leaves the reader on its end.</summary>
    public void Read(ref Utf8JsonReader reader, ref VenueOrder o)
    {
        JsonRead.ExpectObject(ref reader);
        o = default;
        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            if (reader.ValueTextEquals("orderId"u8))
            {
                JsonRead.Next(ref reader);
                o.OrderId = JsonRead.Long(ref reader);
            }
            else if (reader.ValueTextEquals("clientOrderId"u8))
            {
                JsonRead.Next(ref reader);
                o.Sequence = ids.TryParse(JsonRead.Text(ref reader), out var s) ? s : 0;
            }
            else if (reader.ValueTextEquals("origClientOrderId"u8))
            {
                JsonRead.Next(ref reader);
                o.OriginalSequence = ids.TryParse(JsonRead.Text(ref reader), out var s) ? s : 0;
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                JsonRead.Next(ref reader);
                o.Status = BinanceEnums.Status(JsonRead.Text(ref reader));
            }
            else if (reader.ValueTextEquals("side"u8))
            {
                JsonRead.Next(ref reader);
                o.Side = BinanceEnums.Side(JsonRead.Text(ref reader));
            }
            else if (reader.ValueTextEquals("price"u8))
            {
                JsonRead.Next(ref reader);
                o.Price = JsonRead.Decimal(ref reader);
            }
            else if (reader.ValueTextEquals("origQty"u8))
            {
                JsonRead.Next(ref reader);
                o.OriginalQuantity = JsonRead.Decimal(ref reader);
            }
            else if (reader.ValueTextEquals("executedQty"u8))
            {
                JsonRead.Next(ref reader);
                o.ExecutedQuantity = JsonRead.Decimal(ref reader);
            }
            else if (reader.ValueTextEquals("cummulativeQuoteQty"u8))
            {
                JsonRead.Next(ref reader);
                o.CumulativeQuote = JsonRead.Decimal(ref reader);
            }
            else if (reader.ValueTextEquals("transactTime"u8) || reader.ValueTextEquals("updateTime"u8))
            {
                JsonRead.Next(ref reader);
                o.Time = JsonRead.Long(ref reader);
            }
            else
            {
                JsonRead.Next(ref reader);
                JsonRead.Skip(ref reader);
            }
        }
    }

    /// <summary>A single order result.</summary>
    public VenueOrder ReadOne(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        JsonRead.Next(ref reader);
        var o = default(VenueOrder);
        Read(ref reader, ref o);
        return o;
    }

    /// <summary>An array of orders (openOrders.status) into <paramref name="into"/>, cleared first.</summary>
    public void ReadMany(ReadOnlySpan<byte> json, List<VenueOrder> into)
    {
        into.Clear();
        var reader = new Utf8JsonReader(json);
        JsonRead.Next(ref reader);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException("expected an array of orders");
        }

        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            var o = default(VenueOrder);
            Read(ref reader, ref o);
            into.Add(o);
        }
    }

    /// <summary>One integer field of a small result object: <c>serverTime</c> of time, <c>subscriptionId</c> of subscribe.</summary>
    public static long ReadLong(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(json);
        JsonRead.Next(ref reader);
        JsonRead.ExpectObject(ref reader);
        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                throw new FormatException("missing field " + System.Text.Encoding.UTF8.GetString(name));
            }

            var match = reader.ValueTextEquals(name);
            JsonRead.Next(ref reader);
            if (match)
            {
                return JsonRead.Long(ref reader);
            }

            JsonRead.Skip(ref reader);
        }
    }
}
