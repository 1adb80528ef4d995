using System.Text;
using Trading.Core.Data;
using Trading.Core.Market;

namespace Trading.Core.Tests.Data;

/// <summary>What each supported layout reads as. Times worked out by hand: 2024-01-01T00:00:00Z = 1704067200000 ms,
/// 2025-01-01T00:00:00Z = 1735689600000 ms.</summary>
public sealed class CandleFormatTests : IDisposable
{
    private const long Jan1 = 1704067200000;
    private const long Hour = 3_600_000;

    private readonly TempDataDir _dir = new();

    [Fact]
    public void Header_csv_with_ms_times()
    {
        string p = _dir.Write("ms.csv", "timestamp,open,high,low,close,volume\n1704067200000,42283.58,42554.57,42261.02,42475.23,1271.68108\n");

        var s = CandleLoader.Load(p);

        Assert.Equal([new Candle(Jan1, 42283.58, 42554.57, 42261.02, 42475.23, 1271.68108)], s.Candles);
        Assert.Equal(0, s.IntervalMs); // one candle: no step to measure
    }

    [Fact]
    public void Header_csv_with_iso_times_in_several_spellings()
    {
        string p = _dir.Write("iso.csv",
            "timestamp,open,high,low,close,volume\n"
            + "2024-01-01T00:00:00Z,1,1,1,1,0\n"
            + "2024-01-01 01:00:00,1,1,1,1,0\n" // no zone: UTC
            + "2024-01-01T03:00:00+01:00,1,1,1,1,0\n" // 02:00Z
            + "2024-01-01T03:00:00.000Z,1,1,1,1,0\n");

        var times = CandleLoader.Load(p).Candles.Select(c => c.OpenTime);

        Assert.Equal([Jan1, Jan1 + Hour, Jan1 + 2 * Hour, Jan1 + 3 * Hour], times);
    }

    [Fact]
    public void Header_columns_in_any_order_with_extras_and_aliases()
    {
        string p = _dir.Write("order.csv",
            "symbol, Volume ,close,LOW,high,open,open_time\nBTCUSDT,5,105,90,110,100,1704067200000\n");

        var c = Assert.Single(CandleLoader.Load(p).Candles);

        Assert.Equal(new Candle(Jan1, 100, 110, 90, 105, 5), c);
    }

    [Fact]
    public void Byte_order_mark_quotes_and_crlf_are_read()
    {
        string p = _dir.Path("bom.csv");
        File.WriteAllText(p, "timestamp,open,high,low,close,volume\r\n\"1704067200000\",\"100\",110,90,105,\"5.5\"\r\n", new UTF8Encoding(true));

        Assert.Equal([new Candle(Jan1, 100, 110, 90, 105, 5.5)], CandleLoader.Load(p).Candles);
    }

    [Fact]
    public void Binance_klines_use_the_first_six_of_twelve_columns()
    {
        string p = _dir.Write("BTCUSDT-1h-2024-01.csv",
            "1704067200000,42283.58000000,42554.57000000,42261.02000000,42475.23000000,1271.68108000,1704070799999,53957248.97378900,47134,682.57581000,28957416.81964500,0\n");

        var c = Assert.Single(CandleLoader.Load(p).Candles);

        Assert.Equal(new Candle(Jan1, 42283.58, 42554.57, 42261.02, 42475.23, 1271.68108), c);
    }

    [Fact]
    public void Binance_microsecond_times_become_milliseconds()
    {
        // Binance spot files from 2025 give open times in µs: 1735689600000000 µs = 2025-01-01T00:00:00Z.
        string p = _dir.Write("BTCUSDT-1h-2025-01.csv",
            MalformedDataTests.Binance(1735689600000000, "93576", "94509.42", "93489.03", "94401.14", "657.0739")
            + MalformedDataTests.Binance(1735693200000000, "94401.13", "94441.91", "93900.00", "93907.99", "500.1"));

        var s = CandleLoader.Load(p);

        Assert.Equal([1735689600000, 1735689600000 + Hour], s.Candles.Select(c => c.OpenTime));
        Assert.Equal(Hour, s.IntervalMs);
    }

    [Fact]
    public void Microseconds_are_detected_per_value_so_ms_and_µs_files_concatenate()
    {
        // December 2024 in ms (as published then), January 2025 in µs (as published since): one series.
        _dir.Write("BTCUSDT-1h-2024-12.csv", MalformedDataTests.Binance(1735686000000, "1", "1", "1", "1", "0"));
        _dir.Write("BTCUSDT-1h-2025-01.csv", MalformedDataTests.Binance(1735689600000000, "1", "1", "1", "1", "0"));

        var s = CandleLoader.Load(_dir.Root);

        Assert.Equal([1735686000000, 1735689600000], s.Candles.Select(c => c.OpenTime));
        Assert.Equal(0, s.GapCount);
    }

    [Fact]
    public void Header_csv_times_in_µs_are_converted_too()
    {
        string p = _dir.Write("us.csv", "timestamp,open,high,low,close,volume\n1704067200000000,1,1,1,1,0\n");

        Assert.Equal(Jan1, Assert.Single(CandleLoader.Load(p).Candles).OpenTime);
    }

    [Fact]
    public void Files_are_ordered_by_first_candle_not_by_name()
    {
        // Names sort z, a; times sort a before z only if read: "a.csv" holds the later hours.
        string later = _dir.Write("a.csv", "timestamp,open,high,low,close,volume\n1704074400000,1,1,1,1,0\n1704078000000,1,1,1,1,0\n");
        string earlier = _dir.WriteZip("z.zip", ("z.csv", MalformedDataTests.Binance(Jan1, "1", "1", "1", "1", "0") + MalformedDataTests.Binance(Jan1 + Hour, "1", "1", "1", "1", "0")));
        _dir.Write("BTCUSDT-1h-2024-01.zip.CHECKSUM", "ignored: neither .csv nor .zip");

        var folder = CandleLoader.Load(_dir.Root);
        var glob = CandleLoader.Load(Path.Combine(_dir.Root, "*"));

        Assert.Equal([earlier + "!z.csv", later], folder.Sources);
        Assert.Equal([Jan1, Jan1 + Hour, Jan1 + 2 * Hour, Jan1 + 3 * Hour], folder.Candles.Select(c => c.OpenTime));
        Assert.Equal(folder.Sources, glob.Sources);
        Assert.Equal(folder.Candles, glob.Candles);
    }

    [Fact]
    public void More_files_than_kept_open_are_reopened_in_time_order()
    {
        // 40 files, one candle each, names in the reverse of time order: past OrderedSources.MaxOpenReaders (32),
        // readers are closed after ordering and reopened when read.
        int files = 40;
        for (int i = 0; i < files; i++)
        {
            _dir.Write($"f{files - i:D2}.csv", MalformedDataTests.Binance(Jan1 + (i * Hour), "1", "1", "1", "1", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var s = CandleLoader.Load(_dir.Root);

        Assert.True(files > OrderedSources.MaxOpenReaders);
        Assert.Equal(files, s.Count);
        Assert.Equal(Enumerable.Range(0, files).Select(i => (double)i), s.Candles.Select(c => c.Volume));
        Assert.Equal(_dir.Path("f40.csv"), s.Sources[0]);
        Assert.Equal(0, s.GapCount);
    }

    [Fact]
    public void Glob_matches_the_file_name_pattern_only()
    {
        _dir.Write("BTCUSDT-1h-2024-01.csv", MalformedDataTests.Binance(Jan1, "1", "1", "1", "1", "0"));
        _dir.Write("ETHUSDT-1h-2024-01.csv", MalformedDataTests.Binance(Jan1, "2", "2", "2", "2", "0"));

        var s = CandleLoader.Load(Path.Combine(_dir.Root, "BTC*-2024-??.csv"));

        Assert.Equal([_dir.Path("BTCUSDT-1h-2024-01.csv")], s.Sources);
        Assert.Equal(1, Assert.Single(s.Candles).Open);
    }

    [Fact]
    public void Zip_with_several_csv_entries_reads_each_in_time_order()
    {
        string zip = _dir.WriteZip("multi.zip",
            ("b.csv", MalformedDataTests.Binance(Jan1 + Hour, "2", "2", "2", "2", "0")),
            ("a.csv", MalformedDataTests.Binance(Jan1 + 2 * Hour, "3", "3", "3", "3", "0")),
            ("notes.txt", "skipped"),
            ("c.csv", MalformedDataTests.Binance(Jan1, "1", "1", "1", "1", "0")));

        var s = CandleLoader.Load(zip);

        Assert.Equal([zip + "!c.csv", zip + "!b.csv", zip + "!a.csv"], s.Sources);
        Assert.Equal([1.0, 2.0, 3.0], s.Candles.Select(c => c.Open));
    }

    [Fact]
    public void From_is_inclusive_and_to_is_exclusive()
    {
        var sb = new StringBuilder("timestamp,open,high,low,close,volume\n");
        for (int i = 0; i < 10; i++)
        {
            sb.Append(Jan1 + i * Hour).Append(",1,1,1,1,").Append(i).Append('\n');
        }

        string p = _dir.Write("ten.csv", sb.ToString());

        var s = CandleLoader.Load(p, new CandleLoadOptions { From = Jan1 + 3 * Hour, To = Jan1 + 7 * Hour });
        var fromOnly = CandleLoader.Stream(p, new CandleLoadOptions { From = Jan1 + 8 * Hour + 1 }).ToList();
        var toOnly = CandleLoader.Stream(p, new CandleLoadOptions { To = Jan1 + Hour }).ToList();
        var none = CandleLoader.Load(p, new CandleLoadOptions { From = Jan1 + 100 * Hour });

        Assert.Equal([3.0, 4, 5, 6], s.Candles.Select(c => c.Volume));
        Assert.Equal(Jan1 + 3 * Hour, s.Start);
        Assert.Equal(Jan1 + 6 * Hour, s.End);
        Assert.Equal([9.0], fromOnly.Select(c => c.Volume));
        Assert.Equal([0.0], toOnly.Select(c => c.Volume));
        Assert.Equal(0, none.Count);
        Assert.Equal(0, none.Start);
    }

    public void Dispose() => _dir.Dispose();
}
