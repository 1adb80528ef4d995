using System.Globalization;
using Trading.Core.Market;

namespace Trading.Optimizer.Tests;

/// <summary>The shipped BTCUSDT 1h 2024 candles, read straight from data/ (independent of the CLI's loader).</summary>
internal static class SampleData
{
    public static string RepoRoot { get; } = FindRoot();

    public static Candle[] Candles { get; } = File.ReadLines(Path.Combine(RepoRoot, "data", "BTCUSDT_1h_2024.csv"))
        .Skip(1)
        .Select(l => l.Split(','))
        .Select(f => new Candle(long.Parse(f[0], CultureInfo.InvariantCulture), D(f[1]), D(f[2]), D(f[3]), D(f[4]), D(f[5])))
        .ToArray();

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

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
