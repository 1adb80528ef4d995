using System.Globalization;
using Trading.Core.Data;
using Trading.Core.Market;

namespace Trading.Core.Tests.Data;

/// <summary>The real sample data in data/: the header CSV and Binance's monthly zips must give the same candles.</summary>
public sealed class RealDataTests
{
    internal static string DataDir { get; } = FindDataDir();

    private static string Csv => Path.Combine(DataDir, "BTCUSDT_1h_2024.csv");

    private static string Zips => Path.Combine(DataDir, "binance-raw", "*.zip");

    [Fact]
    public void Header_csv_has_the_8784_hourly_candles_of_2024()
    {
        var s = CandleLoader.Load(Csv);

        Assert.Equal(8784, s.Count); // 2024 is a leap year: 366 days x 24 hours
        Assert.Equal(3_600_000, s.IntervalMs);
        Assert.Equal(0, s.GapCount);
        Assert.Equal(0, s.MissingCandles);
        Assert.Empty(s.Warnings);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), s.Start);
        Assert.Equal(new DateTimeOffset(2024, 12, 31, 23, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), s.End);
        Assert.Equal([Csv], s.Sources);
        // First row of the file, read by eye: 1704067200000,42283.58,42554.57,42261.02,42475.23,1271.68108
        Assert.Equal(new Candle(1704067200000, 42283.58, 42554.57, 42261.02, 42475.23, 1271.68108), s.Candles[0]);
    }

    [Fact]
    public void Monthly_zips_give_exactly_the_same_candles_as_the_csv()
    {
        var csv = CandleLoader.Load(Csv);
        var zip = CandleLoader.Load(Zips);

        Assert.Equal(12, zip.Sources.Count);
        Assert.EndsWith("BTCUSDT-1h-2024-01.zip!BTCUSDT-1h-2024-01.csv", zip.Sources[0], StringComparison.Ordinal);
        Assert.EndsWith("BTCUSDT-1h-2024-12.zip!BTCUSDT-1h-2024-12.csv", zip.Sources[11], StringComparison.Ordinal);
        Assert.Equal(csv.Count, zip.Count);
        Assert.Equal(csv.Candles, zip.Candles); // bit-for-bit: same doubles, same times
        Assert.Equal(csv.IntervalMs, zip.IntervalMs);
        Assert.Empty(zip.Warnings);
    }

    [Fact]
    public void Folder_of_zips_equals_the_glob()
    {
        var folder = CandleLoader.Load(Path.Combine(DataDir, "binance-raw"));
        var glob = CandleLoader.Load(Zips);

        Assert.Equal(glob.Sources, folder.Sources);
        Assert.Equal(glob.Candles, folder.Candles);
    }

    [Fact]
    public void Stream_yields_the_same_candles_as_load()
    {
        var loaded = CandleLoader.Load(Zips).Candles;
        var streamed = CandleLoader.Stream(Zips).ToArray();

        Assert.Equal(loaded, streamed);
    }

    [Fact]
    public void From_to_keeps_march_only()
    {
        long from = DateTimeOffset.Parse("2024-03-01T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        long to = DateTimeOffset.Parse("2024-04-01T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

        var march = CandleLoader.Load(Zips, new CandleLoadOptions { From = from, To = to });

        Assert.Equal(31 * 24, march.Count);
        Assert.Equal(from, march.Start);
        Assert.Equal(to - 3_600_000, march.End);
        Assert.Equal(0, march.GapCount);
    }

    private static string FindDataDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data", "BTCUSDT_1h_2024.csv");
            if (File.Exists(candidate))
            {
                return Path.Combine(dir.FullName, "data");
            }
        }

        throw new InvalidOperationException("data/BTCUSDT_1h_2024.csv not found above " + AppContext.BaseDirectory);
    }
}
