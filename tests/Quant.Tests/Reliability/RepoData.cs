using Trading.Core.Data;
using Trading.Core.Market;

namespace Quant.Tests.Reliability;

/// <summary>The repository (the folder holding Quant.sln above the test binaries), its data and the built quant.dll.</summary>
internal static class RepoData
{
    public static string Root { get; } = FindRoot();

    /// <summary>data/BTCUSDT_1h_2024.csv: 8784 hourly candles.</summary>
    public static string Btc1h => Path.Combine(Root, "data", "BTCUSDT_1h_2024.csv");

    /// <summary>The quant.dll built in the same configuration as these tests (the test project references src/Quant).</summary>
    public static string QuantDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Debug"
                : "Release";
            return Path.Combine(Root, "src", "Quant", "bin", configuration, "net10.0", "quant.dll");
        }
    }

    /// <summary>The first <paramref name="count"/> candles of the shipped data.</summary>
    public static Candle[] Candles(int count) => CandleLoader.Load(Btc1h).Candles[..count];

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
