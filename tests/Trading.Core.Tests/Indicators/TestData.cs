using System.Globalization;
using Trading.Core.Market;

namespace Trading.Core.Tests.Indicators;

/// <summary>The shipped BTCUSDT 1h 2024 candles and the golden indicator file, read straight from the repository.</summary>
internal static class TestData
{
    public static string RepoRoot { get; } = FindRoot();

    private static readonly Lazy<Candle[]> LazyCandles = new(() => File.ReadLines(Path.Combine(RepoRoot, "data", "BTCUSDT_1h_2024.csv"))
        .Skip(1)
        .Select(l => l.Split(','))
        .Select(f => new Candle(long.Parse(f[0], CultureInfo.InvariantCulture), D(f[1]), D(f[2]), D(f[3]), D(f[4]), D(f[5])))
        .ToArray());

    private static readonly Lazy<Dictionary<string, double[]>> LazyGolden = new(LoadGolden);

    public static Candle[] Candles => LazyCandles.Value;

    /// <summary>
    /// Golden/btcusdt_1h_2024_indicators.csv by column name, one entry per candle; NaN where the reference has no value
    /// yet. Produced by Golden/generate.py (see its docstring for every definition).
    /// </summary>
    public static double[] Golden(string column) => LazyGolden.Value[column];

    /// <summary>A deterministic random walk with wicks, for tests over many parameters and edge-free paths.</summary>
    public static Candle[] RandomWalk(int count, int seed, double start = 100.0, double volatility = 0.01)
    {
        var rng = new Random(seed);
        var result = new Candle[count];
        var close = start;
        for (var i = 0; i < count; i++)
        {
            var open = close;
            close = open * (1 + (volatility * ((rng.NextDouble() * 2) - 1)));
            var high = Math.Max(open, close) * (1 + (volatility * rng.NextDouble() * 0.5));
            var low = Math.Min(open, close) * (1 - (volatility * rng.NextDouble() * 0.5));
            result[i] = new Candle(i * 3_600_000L, open, high, low, close, 1);
        }

        return result;
    }

    private static Dictionary<string, double[]> LoadGolden()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoRoot, "tests", "Trading.Core.Tests", "Indicators", "Golden", "btcusdt_1h_2024_indicators.csv"));
        var header = lines[0].Split(',');
        var columns = header.ToDictionary(h => h, _ => new double[lines.Length - 1]);
        for (var r = 1; r < lines.Length; r++)
        {
            var fields = lines[r].Split(',');
            Assert.Equal(header.Length, fields.Length);
            for (var c = 0; c < header.Length; c++)
            {
                columns[header[c]][r - 1] = fields[c].Length == 0 ? double.NaN : D(fields[c]);
            }
        }

        return columns;
    }

    private static double D(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Quant.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Quant.sln not found above " + AppContext.BaseDirectory);
    }
}
