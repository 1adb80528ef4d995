using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Trading.Backtest.Report;

/// <summary>Number and time formatting shared by the reports: invariant culture, so the same inputs give the same bytes.</summary>
internal static class ReportFormat
{
    /// <summary>
    /// The JSON writer settings of every report. <see cref="JavaScriptEncoder.Default"/> escapes <c>&lt;</c>, <c>&gt;</c>,
    /// <c>&amp;</c>, quotes and non-ASCII as <c>\uXXXX</c>, so a string such as <c>&lt;/script&gt;</c> in a strategy
    /// name cannot end the <c>&lt;script&gt;</c> element the data sits in.
    /// </summary>
    public static readonly JsonWriterOptions Json = new() { Encoder = JavaScriptEncoder.Default, Indented = false };

    public static string Number(double value, int decimals) =>
        double.IsPositiveInfinity(value) ? "∞"
        : double.IsNegativeInfinity(value) ? "−∞"
        : double.IsNaN(value) ? "n/a"
        : value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Percent(double value, int decimals = 2) => Number(value, decimals) + " %";

    /// <summary><c>2024-01-05 13:00</c> (UTC).</summary>
    public static string Time(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A duration as <c>3d 4h</c>, <c>5h 30m</c> or <c>45m</c>.</summary>
    public static string Duration(long ms)
    {
        var span = TimeSpan.FromMilliseconds(Math.Max(0, ms));
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h"
            : span.TotalHours >= 1 ? $"{span.Hours}h {span.Minutes}m"
            : $"{span.Minutes}m";
    }

    /// <summary>Writes a number, or null when it is not finite (JSON has no ∞ or NaN).</summary>
    public static void WriteNumber(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumberValue(value);
        }
        else
        {
            w.WriteNullValue();
        }
    }

    public static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        WriteNumber(w, value);
    }
}
