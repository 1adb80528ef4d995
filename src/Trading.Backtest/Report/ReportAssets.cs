using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Trading.Backtest.Report;

/// <summary>
/// The files a report inlines, read from this assembly's embedded resources: our own stylesheet and scripts
/// (Report/Assets) and TradingView's lightweight-charts, which the build embeds from node_modules (see the csproj).
/// </summary>
internal static partial class ReportAssets
{
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>lightweight-charts' standalone bundle; it defines the global <c>LightweightCharts</c>.</summary>
    public static string ChartLibrary => Get("lightweight-charts.js");

    public static string Stylesheet => Get("report.css");

    public static string BacktestScript => Get("backtest.js");

    public static string OptimizationScript => Get("optimization.js");

    /// <summary>
    /// A resource's text, made safe to sit inside a <c>&lt;script&gt;</c> or <c>&lt;style&gt;</c> element: an
    /// end tag (<c>&lt;/script</c>, <c>&lt;/style</c>, any case) becomes <c>&lt;\/script</c>, which means the same
    /// inside JavaScript strings, regexes and comments but cannot close the element early.
    /// </summary>
    public static string Get(string name) => Cache.GetOrAdd(name, static n =>
    {
        var assembly = typeof(ReportAssets).Assembly;
        using var stream = assembly.GetManifestResourceStream("Trading.Backtest.Report." + n)
            ?? throw new InvalidOperationException($"report asset '{n}' is not embedded in {assembly.GetName().Name}; rebuild after running .ci/setup");
        using var reader = new StreamReader(stream);
        return EndTag().Replace(reader.ReadToEnd(), "<\\/");
    });

    [GeneratedRegex("</(?=script|style)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EndTag();
}
