using Trading.Core.Data;

namespace Trading.Core.Tests.Data;

/// <summary>
/// The malformed-data corpus: each case is a small file and the exact one-line message it must give,
/// <c>file:line: what</c>. Times used: 1704067200000 = 2024-01-01T00:00:00Z, then +3600000 per hour.
/// </summary>
public sealed class MalformedDataTests : IDisposable
{
    private const string H = "timestamp,open,high,low,close,volume\n";
    private const string R0 = "1704067200000,100,110,90,105,5\n"; // 00:00
    private const string R1 = "1704070800000,105,115,95,100,6\n"; // 01:00
    private const string R2 = "1704074400000,100,101,99,100,7\n"; // 02:00

    private readonly TempDataDir _dir = new();

    /// <summary>(name, file content, line, problem) of the single-file cases.</summary>
    public static TheoryData<string, string, long, string> SingleFile => new()
    {
        { "unparsable open", H + R0 + "1704070800000,abc,115,95,100,6\n", 3, "column 'open': 'abc' is not a number" },
        { "empty high", H + "1704067200000,100,,90,105,5\n", 2, "column 'high' is empty" },
        { "NaN close", H + "1704067200000,100,110,90,NaN,5\n", 2, "column 'close': 'NaN' is not a finite number" },
        { "infinite volume", H + "1704067200000,100,110,90,105,Infinity\n", 2, "column 'volume': 'Infinity' is not a finite number" },
        { "decimal comma", H + "1704067200000,100,110,90,\"105,5\",5\n", 2, "column 'close': '105,5' is not a number" },
        { "five columns", H + R0 + R1 + "1704074400000,100,101,99,100\n", 4, "expected 6 columns as in the header, found 5" },
        { "seven columns", H + "1704067200000,100,110,90,105,5,9\n", 2, "expected 6 columns as in the header, found 7" },
        { "high below low", H + R0 + "1704070800000,105,95,115,100,6\n", 3, "high 95 is below low 115" },
        { "open above high", H + "1704067200000,111.5,110,90,105,5\n", 2, "open 111.5 is outside [low 90, high 110]" },
        { "open below low", H + "1704067200000,89.99,110,90,105,5\n", 2, "open 89.99 is outside [low 90, high 110]" },
        { "close above high", H + "1704067200000,100,110,90,110.01,5\n", 2, "close 110.01 is outside [low 90, high 110]" },
        { "close below low", H + "1704067200000,100,110,90,1,5\n", 2, "close 1 is outside [low 90, high 110]" },
        { "negative volume", H + R0 + R1 + "1704074400000,100,101,99,100,-0.5\n", 4, "volume -0.5 is negative" },
        { "zero price", H + "1704067200000,0,0,0,0,5\n", 2, "low 0 is not a positive price" },
        { "time goes back", H + R0 + R2 + R1, 4, "timestamp 2024-01-01T01:00:00Z (1704070800000) is not after the previous candle's 2024-01-01T02:00:00Z at line 3" },
        { "duplicate candle", H + R0 + R1 + R1, 4, "duplicate candle 2024-01-01T01:00:00Z (1704070800000), already at line 3" },
        { "duplicate in ISO and ms", H + "2024-01-01T00:00:00Z,100,110,90,105,5\n" + R0, 3, "duplicate candle 2024-01-01T00:00:00Z (1704067200000), already at line 2" },
        { "timestamp text", H + R0 + "yesterday,100,110,90,105,5\n", 3, "column 'timestamp': 'yesterday' is not a time (ms since the epoch or ISO-8601)" },
        { "impossible ISO date", H + "2024-13-45T00:00:00Z,100,110,90,105,5\n", 2, "column 'timestamp': '2024-13-45T00:00:00Z' is not a time (ms since the epoch or ISO-8601)" },
        { "negative timestamp", H + "-5,100,110,90,105,5\n", 2, "column 'timestamp': timestamp -5 is negative" },
        { "nanosecond timestamp", H + "1704067200000000000,100,110,90,105,5\n", 2, "column 'timestamp': timestamp 1704067200000000000 is too large for milliseconds or microseconds since the epoch" },
        { "empty timestamp", H + ",100,110,90,105,5\n", 2, "column 'timestamp' is empty" },
        { "header lacks volume", "timestamp,open,high,low,close\n1704067200000,100,110,90,105\n", 1, "the header has no 'volume' column (expected timestamp,open,high,low,close,volume)" },
        { "header lacks time", "when,open,high,low,close,volume\n" + R0, 1, "the header has no 'timestamp' column (expected timestamp,open,high,low,close,volume)" },
        { "no header, six columns", R0 + R1, 1, "no header row and 6 columns: expected a header (timestamp,open,high,low,close,volume) or 12-column Binance klines" },
        { "blank lines count", H + R0 + "\n\n" + "1704070800000,105,115,95,100,x\n", 5, "column 'volume': 'x' is not a number" },
        { "CRLF line ends", "timestamp,open,high,low,close,volume\r\n1704067200000,100,110,90,105,5\r\n1704070800000,1,115,95,100,6\r\n", 3, "open 1 is outside [low 95, high 115]" },
        { "text after closing quote", H + R0 + "1704070800000,\"105\"x,115,95,100,6\n", 3, "malformed CSV: text after the closing quote of a quoted field" },
        { "binance bad high", Binance(1704067200000, "100", "1e", "90", "105", "5"), 1, "column 'high': '1e' is not a number" },
        { "binance eleven columns", Binance(1704067200000, "100", "110", "90", "105", "5") + "1704070800000,105,115,95,100,6,1704074399999,100,10,1,50\n", 2, "expected 12 columns (Binance kline), found 11" },
        { "binance duplicate µs", Binance(1704067200000000, "100", "110", "90", "105", "5") + Binance(1704067200000, "100", "110", "90", "105", "5"), 2, "duplicate candle 2024-01-01T00:00:00Z (1704067200000), already at line 1" },
        { "empty file", "", 0, "no candles in the file" },
        { "header only", H, 0, "no candles in the file" },
    };

    [Theory]
    [MemberData(nameof(SingleFile))]
    public void Each_malformed_file_gives_its_one_line_message(string name, string content, long line, string problem)
    {
        string path = _dir.Write(name.Replace(' ', '-') + ".csv", content);

        var e = Assert.Throws<CandleDataException>(() => CandleLoader.Load(path));

        Assert.Equal($"{path}:{line}: {problem}", e.Message);
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [MemberData(nameof(SingleFile))]
    public void Streaming_reports_the_same_message(string name, string content, long line, string problem)
    {
        string path = _dir.Write(name.Replace(' ', '-') + ".csv", content);

        var e = Assert.Throws<CandleDataException>(() => CandleLoader.Stream(path).Count());

        Assert.Equal($"{path}:{line}: {problem}", e.Message);
    }

    [Fact]
    public void Record_inside_a_zip_is_named_archive_bang_entry_and_line()
    {
        string zip = _dir.WriteZip("BTCUSDT-1h-2024-03.zip", ("BTCUSDT-1h-2024-03.csv",
            Binance(1709251200000, "100", "110", "90", "105", "5")
            + Binance(1709254800000, "100", "110", "90", "105", "5")
            + Binance(1709258400000, "100", "110", "90", "105", "-1")));

        var e = Assert.Throws<CandleDataException>(() => CandleLoader.Load(zip));

        Assert.Equal($"{zip}!BTCUSDT-1h-2024-03.csv:3: volume -1 is negative", e.Message);
    }

    [Fact]
    public void Duplicate_candle_across_files_names_both()
    {
        string a = _dir.Write("a.csv", H + R0 + R1);
        string b = _dir.Write("b.csv", H + R1 + R2);

        var e = Assert.Throws<CandleDataException>(() => CandleLoader.Load(_dir.Root));

        Assert.Equal($"{b}:2: duplicate candle 2024-01-01T01:00:00Z (1704070800000), already at {a}:3", e.Message);
    }

    [Fact]
    public void Overlapping_files_are_an_error()
    {
        string a = _dir.Write("a.csv", H + R0 + R2);
        string b = _dir.Write("b.csv", H + R1 + "1704078000000,100,101,99,100,7\n");

        var e = Assert.Throws<CandleDataException>(() => CandleLoader.Load(Path.Combine(_dir.Root, "*.csv")));

        Assert.Equal($"{b}:2: timestamp 2024-01-01T01:00:00Z (1704070800000) overlaps the previous file, whose last candle is 2024-01-01T02:00:00Z at {a}:3", e.Message);
    }

    [Fact]
    public void Missing_file_is_line_zero()
    {
        string path = _dir.Path("nope.csv");

        var e = Assert.Throws<CandleDataException>(() => CandleLoader.Load(path));

        Assert.Equal($"{path}:0: no such file or folder", e.Message);
    }

    [Fact]
    public void Glob_without_match_is_line_zero()
    {
        _dir.Write("x.txt", "not data");
        string glob = Path.Combine(_dir.Root, "*.zip");

        var e = Assert.Throws<CandleDataException>(() => CandleLoader.Load(glob));

        Assert.Equal($"{glob}:0: no .csv or .zip file matches", e.Message);
    }

    [Fact]
    public void Glob_in_missing_folder_names_the_folder()
    {
        string folder = _dir.Path("missing");
        string glob = Path.Combine(folder, "*.zip");

        var e = Assert.Throws<CandleDataException>(() => CandleLoader.Stream(glob).ToList());

        Assert.Equal($"{glob}:0: no such folder '{folder}'", e.Message);
    }

    [Fact]
    public void Empty_folder_is_line_zero()
    {
        var e = Assert.Throws<CandleDataException>(() => CandleLoader.Load(_dir.Root));

        Assert.Equal($"{_dir.Root}:0: the folder has no .csv or .zip files", e.Message);
    }

    [Fact]
    public void Not_a_zip_is_line_zero()
    {
        string path = _dir.Write("fake.zip", H + R0);

        var e = Assert.Throws<CandleDataException>(() => CandleLoader.Load(path));

        Assert.StartsWith($"{path}:0: not a readable zip archive: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Zip_without_csv_entry_is_line_zero()
    {
        string path = _dir.WriteZip("readme.zip", ("README.txt", "hello"));

        var e = Assert.Throws<CandleDataException>(() => CandleLoader.Load(path));

        Assert.Equal($"{path}:0: the archive has no .csv entry", e.Message);
    }

    [Fact]
    public void Files_without_any_candle_are_an_error()
    {
        _dir.Write("a.csv", H);
        _dir.Write("b.csv", "");

        var e = Assert.Throws<CandleDataException>(() => CandleLoader.Load(_dir.Root));

        Assert.Equal($"{_dir.Root}:0: no candles in any of the files", e.Message);
    }

    [Fact]
    public void Stream_yields_the_good_candles_before_the_bad_record()
    {
        string path = _dir.Write("late.csv", H + R0 + R1 + "1704074400000,100,101,99,100,-7\n");
        var seen = new List<long>();

        var e = Assert.Throws<CandleDataException>(() =>
        {
            foreach (var c in CandleLoader.Stream(path))
            {
                seen.Add(c.OpenTime);
            }
        });

        Assert.Equal([1704067200000, 1704070800000], seen);
        Assert.Equal(4, e.Line);
    }

    [Fact]
    public void Errors_outside_the_requested_range_are_still_reported()
    {
        string path = _dir.Write("range.csv", H + R0 + R1 + "1704074400000,100,101,99,100,-7\n");

        var e = Assert.Throws<CandleDataException>(() =>
            CandleLoader.Load(path, new CandleLoadOptions { To = 1704070800000 }));

        Assert.Equal(4, e.Line);
    }

    internal static string Binance(long openTime, string open, string high, string low, string close, string volume) =>
        $"{openTime},{open},{high},{low},{close},{volume},{openTime + (openTime > 100_000_000_000_000 ? 3_599_999_999 : 3_599_999)},1000.5,42,1.5,500.25,0\n";

    public void Dispose() => _dir.Dispose();
}
