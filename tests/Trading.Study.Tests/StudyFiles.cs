namespace Trading.Study.Tests;

/// <summary>A temporary folder holding a small candle file cut from the repository's data (600 hourly candles).</summary>
public sealed class StudyFiles : IDisposable
{
    public StudyFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"quant-study-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        Candles = Path.Combine(Directory, "candles.csv");
        File.WriteAllLines(Candles, File.ReadLines(Path.Combine(Repository(), "data", "BTCUSDT_1h_2024.csv")).Take(601));
    }

    public string Directory { get; }

    public string Candles { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static string Repository()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Quant.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("the repository (Quant.sln) is not above the test binaries");
    }
}
