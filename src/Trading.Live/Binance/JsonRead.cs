using System.Buffers.Text;
using System.Text.Json;

namespace Trading.Live.Binance;

/// <summary>
/// Allocation-free readers for Binance's value conventions on a <see cref="Utf8JsonReader"/> positioned on a value:
/// decimals as JSON strings ("0.00100000"), ids and times as integers. Binance never escapes inside these strings, so
/// the raw <see cref="Utf8JsonReader.ValueSpan"/> is the text; an escaped value is unescaped into a stack buffer.
/// Every reader throws <see cref="FormatException"/> (never a silent zero) when the token is not what it should be.
/// </summary>
internal static class JsonRead
{
    private const int ScratchLength = 256;

    // Escaped strings are unescaped here: one buffer per thread (the loop's), reused, so nothing is allocated per value.
    [ThreadStatic]
    private static byte[]? t_scratch;

    /// <summary>Moves to the next token; throws on the end of the input (a truncated message).</summary>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new FormatException("truncated JSON");
        }
    }

    /// <summary>A decimal written as a JSON string (or, leniently, a number).</summary>
    public static decimal Decimal(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDecimal();
        }

        var text = Text(ref reader);
        if (!Utf8Parser.TryParse(text, out decimal value, out var consumed) || consumed != text.Length)
        {
            throw new FormatException("expected a decimal string");
        }

        return value;
    }

    /// <summary>A double written as a JSON string (market data for analytics).</summary>
    public static double Double(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDouble();
        }

        var text = Text(ref reader);
        if (!Utf8Parser.TryParse(text, out double value, out var consumed) || consumed != text.Length)
        {
            throw new FormatException("expected a number string");
        }

        return value;
    }

    public static long Long(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw new FormatException("expected an integer");
        }

        return value;
    }

    public static bool Bool(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new FormatException("expected a boolean"),
    };

    /// <summary>
    /// The UTF-8 text of a string token: its raw bytes, or unescaped into a per-thread scratch buffer. Trap: valid only
    /// until the next call on this thread; use it at once.
    /// </summary>
    public static ReadOnlySpan<byte> Text(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new FormatException("expected a string");
        }

        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return reader.ValueSpan;
        }

        var scratch = t_scratch ??= new byte[ScratchLength];
        var n = reader.CopyString(scratch);
        return scratch.AsSpan(0, n);
    }

    /// <summary>True when the current string token's text equals <paramref name="utf8"/>.</summary>
    public static bool TextIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8) =>
        reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(utf8);

    /// <summary>Skips the current value (object and array included); leaves the reader on its last token.</summary>
    public static void Skip(ref Utf8JsonReader reader)
    {
        if (!reader.TrySkip())
        {
            throw new FormatException("truncated JSON");
        }
    }

    /// <summary>Checks the reader stands on the start of an object.</summary>
    public static void ExpectObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("expected an object");
        }
    }
}
