using System.Text.Json;
using Trading.Core.Market;

namespace Trading.Live.Binance;

/// <summary>
/// Reads the klines result (binance.md §5.3: an array of 12-element arrays, open time first) into Core candles, for
/// warm-up and gap fills. Only candles whose close time (column 6) is at or before <c>closedBy</c> are kept: the newest
/// kline of a live venue is still forming and must not reach a strategy as a closed candle.
/// </summary>
public static class KlineArrayParser
{
    public static List<Candle> Parse(ReadOnlySpan<byte> json, long closedBy = long.MaxValue)
    {
        var list = new List<Candle>();
        var reader = new Utf8JsonReader(json);
        JsonRead.Next(ref reader);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException("klines: expected an array");
        }

        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return list;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new FormatException("klines: expected an array per kline");
            }

            JsonRead.Next(ref reader);
            var open = JsonRead.Long(ref reader);
            JsonRead.Next(ref reader);
            var o = JsonRead.Double(ref reader);
            JsonRead.Next(ref reader);
            var h = JsonRead.Double(ref reader);
            JsonRead.Next(ref reader);
            var l = JsonRead.Double(ref reader);
            JsonRead.Next(ref reader);
            var c = JsonRead.Double(ref reader);
            JsonRead.Next(ref reader);
            var v = JsonRead.Double(ref reader);
            JsonRead.Next(ref reader);
            var close = JsonRead.Long(ref reader);
            while (true)
            {
                JsonRead.Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                JsonRead.Skip(ref reader);
            }

            if (close <= closedBy)
            {
                list.Add(new Candle(open, o, h, l, c, v));
            }
        }
    }
}
