using System.Globalization;

namespace Quant.Cli;

/// <summary>
/// Dates and times on the command line: ISO-8601 dates (<c>2024-03-01</c> = midnight UTC) or date-times
/// (<c>2024-03-01T12:00</c>, <c>2024-03-01T12:00:00Z</c>, <c>2024-03-01 12:00:00+02:00</c>), UTC unless an offset is
/// given, or milliseconds since the Unix epoch. Deliberately strict: no culture-dependent forms like <c>3/1/2024</c>.
/// </summary>
internal static class UtcDate
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ssK",
    ];

    /// <summary>Milliseconds since the epoch (UTC) of <paramref name="text"/>; null when it is not one of the accepted forms.</summary>
    public static long? TryParseMs(string text)
    {
        text = text.Trim();
        if (text.Length > 0 && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
        {
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : null;
        }

        return DateTimeOffset.TryParseExact(
            text,
            Formats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var t)
            ? t.ToUnixTimeMilliseconds()
            : null;
    }

    /// <summary><c>2024-03-01T12:00:00Z</c>: ISO-8601 UTC, seconds precision (milliseconds when not whole seconds).</summary>
    public static string Format(long ms)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
        return t.ToString(t.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>An interval as people write it: <c>1h</c>, <c>15m</c>, <c>1d</c>, <c>1w</c>, <c>90s</c>, <c>250ms</c>; <c>0</c> → "unknown".</summary>
    public static string FormatInterval(long ms)
    {
        if (ms <= 0)
        {
            return "unknown";
        }

        const long second = 1000, minute = 60 * second, hour = 60 * minute, day = 24 * hour, week = 7 * day;
        return ms switch
        {
            _ when ms % week == 0 => $"{ms / week}w",
            _ when ms % day == 0 => $"{ms / day}d",
            _ when ms % hour == 0 => $"{ms / hour}h",
            _ when ms % minute == 0 => $"{ms / minute}m",
            _ when ms % second == 0 => $"{ms / second}s",
            _ => $"{ms}ms",
        };
    }
}
