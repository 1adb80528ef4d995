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
}
