using System.Globalization;
using System.Text;

namespace Trading.Core.Data;

/// <summary>
/// Parses candle open times: integers in milliseconds since the epoch, or microseconds (Binance spot files from 2025),
/// told apart per value by magnitude; or ISO-8601 text. Always yields milliseconds since the epoch, UTC.
/// </summary>
internal static class CandleTime
{
    /// <summary>
    /// Integers above this are microseconds. 1e14 ms is the year 5138, while 1e14 µs is 1973-03-03: no real candle
    /// time in ms is that large and no real one in µs is that small, so the two ranges cannot be confused.
    /// </summary>
    public const long MicrosecondThreshold = 100_000_000_000_000;

    /// <summary>9999-12-31T23:59:59.999Z, the last instant <see cref="DateTimeOffset"/> can represent.</summary>
    public const long MaxMs = 253_402_300_799_999;

    /// <summary>
    /// Parses <paramref name="utf8"/> into ms since the epoch. On failure returns false with a one-line reason
    /// (which names the value) in <paramref name="problem"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, string column, out long ms, out string? problem)
    {
        problem = null;
        if (long.TryParse(utf8, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out long value))
        {
            if (value < 0)
            {
                ms = 0;
                problem = $"column '{column}': timestamp {value} is negative";
                return false;
            }

            // Integer division floors: a µs time inside a millisecond maps to that millisecond's start.
            ms = value > MicrosecondThreshold ? value / 1000 : value;
            if (ms > MaxMs)
            {
                problem = $"column '{column}': timestamp {value} is too large for milliseconds or microseconds since the epoch";
                return false;
            }

            return true;
        }

        if (LooksLikeIsoDate(utf8) && TryParseIso(utf8, out ms))
        {
            if (ms >= 0)
            {
                return true;
            }

            problem = $"column '{column}': time '{Quote(utf8)}' is before 1970";
            return false;
        }

        ms = 0;
        problem = utf8.IsEmpty
            ? $"column '{column}' is empty"
            : $"column '{column}': '{Quote(utf8)}' is not a time (ms since the epoch or ISO-8601)";
        return false;
    }

    /// <summary>Formats ms since the epoch as ISO-8601 UTC, with milliseconds only when there are some.</summary>
    public static string Iso(long ms)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
        return t.ToString(ms % 1000 == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>A field value for a message: at most 40 characters, invalid UTF-8 replaced.</summary>
    public static string Quote(ReadOnlySpan<byte> utf8)
    {
        string s = Encoding.UTF8.GetString(utf8);
        return s.Length <= 40 ? s : string.Concat(s.AsSpan(0, 37), "...");
    }

    // yyyy-MM-dd first: keeps DateTimeOffset.TryParse's leniency ("1/2/2024", "Jan 2") away from candle times,
    // where a day/month mix-up would be silent.
    private static bool LooksLikeIsoDate(ReadOnlySpan<byte> s)
    {
        s = s.Trim((byte)' ');
        return s.Length >= 10 && s.Length <= 64
            && char.IsAsciiDigit((char)s[0]) && char.IsAsciiDigit((char)s[1]) && char.IsAsciiDigit((char)s[2]) && char.IsAsciiDigit((char)s[3])
            && s[4] == '-' && char.IsAsciiDigit((char)s[5]) && char.IsAsciiDigit((char)s[6]) && s[7] == '-';
    }

    private static bool TryParseIso(ReadOnlySpan<byte> utf8, out long ms)
    {
        Span<char> chars = stackalloc char[64];
        if (!Encoding.UTF8.TryGetChars(utf8, chars, out int n)
            || !DateTimeOffset.TryParse(chars[..n], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var t))
        {
            ms = 0;
            return false;
        }

        ms = t.ToUnixTimeMilliseconds();
        return true;
    }
}
