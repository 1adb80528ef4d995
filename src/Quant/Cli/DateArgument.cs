using System.Globalization;

namespace Quant.Cli;

/// <summary>Parses <c>--from</c>/<c>--to</c>: an ISO-8601 date (<c>2024-03-01</c>) or date-time, taken as UTC, to ms since the epoch.</summary>
internal static class DateArgument
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", "yyyy-MM-dd'T'HH:mm:ssK",
    ];

    public static long? Parse(string? text, string flag)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return t.ToUnixTimeMilliseconds();
        }

        throw CliException.Usage($"{flag} expects an ISO-8601 date or date-time such as 2024-03-01 or 2024-03-01T12:00:00Z, got '{text}'");
    }
}
