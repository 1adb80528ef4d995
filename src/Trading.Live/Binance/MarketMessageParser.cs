using System.Text.Json;
using Trading.Core.Market;

namespace Trading.Live.Binance;

/// <summary>
/// Parses market-stream frames (binance.md §1.3) with <see cref="Utf8JsonReader"/> and no allocation: raw payloads and
/// combined-stream envelopes (<c>{"stream":…,"data":{…}}</c>, in either key order) carrying kline, bookTicker, trade or
/// serverShutdown; and control replies. Fields are matched by name, not position, and unknown fields are skipped.
/// A frame that is not valid JSON, is truncated, or has a field of the wrong type throws <see cref="FormatException"/>
/// (or <see cref="JsonException"/>); the caller counts and skips it.
/// </summary>
public static class MarketMessageParser
{
    /// <summary>Parses <paramref name="json"/> into <paramref name="message"/>; <paramref name="receivedAt"/> (ms) stamps quotes.</summary>
    public static MarketMessageKind Parse(ReadOnlySpan<byte> json, long receivedAt, ref MarketMessage message)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
        JsonRead.Next(ref reader);
        JsonRead.ExpectObject(ref reader);
        message = default;
        var sawResult = false;
        var sawData = false;
        var sawPayloadField = false;
        var fields = default(Fields);
        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.ValueTextEquals("data"u8))
            {
                JsonRead.Next(ref reader);
                JsonRead.ExpectObject(ref reader);
                ReadPayload(ref reader, ref fields);
                sawData = true;
                continue;
            }

            if (reader.ValueTextEquals("result"u8))
            {
                sawResult = true;
                JsonRead.Next(ref reader);
                JsonRead.Skip(ref reader);
                continue;
            }

            if (reader.ValueTextEquals("stream"u8) || reader.ValueTextEquals("id"u8))
            {
                JsonRead.Next(ref reader);
                JsonRead.Skip(ref reader);
                continue;
            }

            // A raw (non-combined) payload: the envelope is the payload itself.
            sawPayloadField = true;
            ReadField(ref reader, ref fields);
        }

        if (reader.Read())
        {
            throw new FormatException("trailing data after the JSON object");
        }

        if (!sawData && !sawPayloadField)
        {
            message.Kind = sawResult ? MarketMessageKind.ControlReply : MarketMessageKind.Unknown;
            return message.Kind;
        }

        return Build(ref fields, receivedAt, ref message);
    }

    private static void ReadPayload(ref Utf8JsonReader reader, ref Fields f)
    {
        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            ReadField(ref reader, ref f);
        }
    }

    /// <summary>Reads one property (the reader is on its name) of a trade, bookTicker, kline or shutdown payload.</summary>
    private static void ReadField(ref Utf8JsonReader reader, ref Fields f)
    {
        var name = reader.ValueSpan;
        JsonRead.Next(ref reader);
        var structured = reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject;
        if (name.Length != 1 || (structured && name[0] != (byte)'k'))
        {
            // Another stream's field (depth's "b":[[p,q]]): not ours to type-check.
            JsonRead.Skip(ref reader);
            return;
        }

        switch ((char)name[0])
        {
            case 'e':
                f.Event = reader.ValueTextEquals("kline"u8) ? EventKind.Kline
                    : reader.ValueTextEquals("trade"u8) ? EventKind.Trade
                    : reader.ValueTextEquals("serverShutdown"u8) ? EventKind.Shutdown
                    : reader.TokenType == JsonTokenType.String ? EventKind.Other
                    : throw new FormatException("e: expected a string");
                break;
            case 'E':
                f.EventTime = JsonRead.Long(ref reader);
                break;
            case 't':
                f.TradeId = JsonRead.Long(ref reader);
                break;
            case 'T':
                f.TradeTime = JsonRead.Long(ref reader);
                break;
            case 'p':
                f.Price = JsonRead.Double(ref reader);
                break;
            case 'q':
                f.Quantity = JsonRead.Double(ref reader);
                break;
            case 'm':
                f.BuyerIsMaker = JsonRead.Bool(ref reader);
                break;
            case 'u':
                f.UpdateId = JsonRead.Long(ref reader);
                f.HasBook |= 1;
                break;
            case 'b':
                f.Bid = JsonRead.Double(ref reader);
                f.HasBook |= 2;
                break;
            case 'B':
                f.BidQty = JsonRead.Double(ref reader);
                break;
            case 'a':
                f.Ask = JsonRead.Double(ref reader);
                f.HasBook |= 4;
                break;
            case 'A':
                f.AskQty = JsonRead.Double(ref reader);
                break;
            case 'k':
                JsonRead.ExpectObject(ref reader);
                ReadKline(ref reader, ref f);
                break;
            default:
                JsonRead.Skip(ref reader);
                break;
        }
    }

    private static void ReadKline(ref Utf8JsonReader reader, ref Fields f)
    {
        f.HasKline = true;
        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            var name = reader.ValueSpan;
            JsonRead.Next(ref reader);
            if (name.Length != 1)
            {
                JsonRead.Skip(ref reader);
                continue;
            }

            switch ((char)name[0])
            {
                case 't':
                    f.KOpenTime = JsonRead.Long(ref reader);
                    break;
                case 'T':
                    f.KCloseTime = JsonRead.Long(ref reader);
                    break;
                case 'o':
                    f.KOpen = JsonRead.Double(ref reader);
                    break;
                case 'h':
                    f.KHigh = JsonRead.Double(ref reader);
                    break;
                case 'l':
                    f.KLow = JsonRead.Double(ref reader);
                    break;
                case 'c':
                    f.KClose = JsonRead.Double(ref reader);
                    break;
                case 'v':
                    f.KVolume = JsonRead.Double(ref reader);
                    break;
                case 'x':
                    f.KClosed = JsonRead.Bool(ref reader);
                    break;
                default:
                    JsonRead.Skip(ref reader);
                    break;
            }
        }
    }

    private static MarketMessageKind Build(ref Fields f, long receivedAt, ref MarketMessage m)
    {
        m.EventTime = f.EventTime;
        switch (f.Event)
        {
            case EventKind.Kline when f.HasKline:
                m.Kind = MarketMessageKind.Kline;
                m.Candle = new Candle(f.KOpenTime, f.KOpen, f.KHigh, f.KLow, f.KClose, f.KVolume);
                m.KlineClosed = f.KClosed;
                m.KlineCloseTime = f.KCloseTime;
                break;
            case EventKind.Trade:
                m.Kind = MarketMessageKind.Trade;
                m.Trade = new Trade(f.TradeTime, f.Price, f.Quantity, f.BuyerIsMaker, f.TradeId);
                break;
            case EventKind.Shutdown:
                m.Kind = MarketMessageKind.ServerShutdown;
                break;
            case EventKind.None when f.HasBook == 7:
                // bookTicker has no "e": it is recognised by its update id and both sides.
                m.Kind = MarketMessageKind.BookTicker;
                m.BookUpdateId = f.UpdateId;
                m.Quote = new Quote(receivedAt, f.Bid, f.BidQty, f.Ask, f.AskQty);
                break;
            default:
                m.Kind = MarketMessageKind.Unknown;
                break;
        }

        return m.Kind;
    }

    private enum EventKind : byte
    {
        None,
        Kline,
        Trade,
        Shutdown,
        Other,
    }

    /// <summary>Every field any supported payload may carry, read in one pass whatever the key order.</summary>
    private struct Fields
    {
        public EventKind Event;
        public long EventTime;
        public long TradeId;
        public long TradeTime;
        public double Price;
        public double Quantity;
        public bool BuyerIsMaker;
        public int HasBook;
        public long UpdateId;
        public double Bid;
        public double BidQty;
        public double Ask;
        public double AskQty;
        public bool HasKline;
        public long KOpenTime;
        public long KCloseTime;
        public double KOpen;
        public double KHigh;
        public double KLow;
        public double KClose;
        public double KVolume;
        public bool KClosed;
    }
}
