using System.Text.Json;

namespace Quant.Bench.Infrastructure;

/// <summary>Writes the closing JSON line every benchmark ends with.</summary>
internal static class BenchReport
{
    /// <summary>
    /// Prints <c>{"bench": name, "value": value, "unit": unit, "baseline": baseline, "ratio": value/baseline, ...extra}</c>
    /// on one line. <paramref name="extra"/> adds further figures (snake_case keys).
    /// </summary>
    public static void Print(string name, double value, string unit, double baseline, IEnumerable<KeyValuePair<string, object?>>? extra = null)
    {
        var doc = new Dictionary<string, object?>
        {
            ["bench"] = name,
            ["value"] = Round(value),
            ["unit"] = unit,
            ["baseline"] = Round(baseline),
            ["ratio"] = baseline == 0 ? null : Round(value / baseline),
        };
        if (extra is not null)
        {
            foreach (var kv in extra)
            {
                doc[kv.Key] = kv.Value is double d ? Round(d) : kv.Value;
            }
        }

        Console.Out.Flush();
        Console.WriteLine(JsonSerializer.Serialize(doc));
    }

    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, 4) : v;
}
