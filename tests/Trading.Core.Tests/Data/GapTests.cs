using System.Text;
using Trading.Core.Data;

namespace Trading.Core.Tests.Data;

/// <summary>Gaps are warnings with counts, never errors. Times: 2024-01-01T00:00:00Z = 1704067200000.</summary>
public sealed class GapTests : IDisposable
{
    private const long Jan1 = 1704067200000;
    private const long Hour = 3_600_000;

    private readonly TempDataDir _dir = new();

    private string WriteHours(string name, params int[] hours)
    {
        var sb = new StringBuilder("timestamp,open,high,low,close,volume\n");
        foreach (int h in hours)
        {
            sb.Append(Jan1 + h * Hour).Append(",1,1,1,1,1\n");
        }

        return _dir.Write(name, sb.ToString());
    }

    [Fact]
    public void Gaps_are_counted_with_missing_candles_and_located()
    {
        // Hours 0,1,2 then 5 (3 and 4 missing), 6, then 8 (7 missing): 2 gaps, 3 missing candles.
        string p = WriteHours("gaps.csv", 0, 1, 2, 5, 6, 8);

        var s = CandleLoader.Load(p);

        Assert.Equal(6, s.Count);
        Assert.Equal(Hour, s.IntervalMs);
        Assert.Equal(2, s.GapCount);
        Assert.Equal(3, s.MissingCandles);
        Assert.Equal(
            [
                "2 gaps in the data, 3 missing 1h candles",
                $"{p}:5: gap of 2 missing candles between 2024-01-01T02:00:00Z and 2024-01-01T05:00:00Z",
                $"{p}:7: gap of 1 missing candle between 2024-01-01T06:00:00Z and 2024-01-01T08:00:00Z",
            ],
            s.Warnings);
    }

    [Fact]
    public void Gap_between_files_names_the_later_file()
    {
        WriteHours("a.csv", 0, 1);
        string b = WriteHours("b.csv", 3, 4);

        var s = CandleLoader.Load(_dir.Root);

        Assert.Equal(1, s.GapCount);
        Assert.Equal(1, s.MissingCandles);
        Assert.Equal($"{b}:2: gap of 1 missing candle between 2024-01-01T01:00:00Z and 2024-01-01T03:00:00Z", s.Warnings[1]);
    }

    [Fact]
    public void Only_the_first_ten_gaps_are_listed()
    {
        // 0, 2, 4, ..., 40, 41, ..., 80: 20 gaps of one candle, 40 steps of one hour.
        int[] hours = [.. Enumerable.Range(0, 20).Select(i => 2 * i), .. Enumerable.Range(40, 41)];
        string p = WriteHours("many.csv", hours);

        var s = CandleLoader.Load(p);

        Assert.Equal(Hour, s.IntervalMs);
        Assert.Equal(20, s.GapCount);
        Assert.Equal(20, s.MissingCandles);
        Assert.Equal(1 + 10 + 1, s.Warnings.Count);
        Assert.Equal("... and 10 more gaps", s.Warnings[^1]);
    }

    [Fact]
    public void Steps_off_the_grid_are_warned_about()
    {
        // 1h steps, then 90 minutes (one step off the grid, and a gap of (5400000 - 1) / 3600000 = 1 candle).
        string p = _dir.Write("odd.csv",
            "timestamp,open,high,low,close,volume\n"
            + $"{Jan1},1,1,1,1,1\n{Jan1 + Hour},1,1,1,1,1\n{Jan1 + 2 * Hour},1,1,1,1,1\n{Jan1 + 2 * Hour + 5_400_000},1,1,1,1,1\n");

        var s = CandleLoader.Load(p);

        Assert.Equal(1, s.GapCount);
        Assert.Equal(1, s.MissingCandles);
        Assert.Contains("1 candle is not on the 1h grid of the others", s.Warnings);
        Assert.Contains($"{p}:5: candle 2024-01-01T03:30:00Z is 90m after the previous one, not a multiple of the 1h interval", s.Warnings);
    }

    [Fact]
    public void Interval_is_the_most_common_step_and_the_smaller_on_a_tie()
    {
        // Steps 1h, 1h, 2h, 2h: a tie, so 1h; the 2h steps are two gaps of one candle.
        string p = WriteHours("tie.csv", 0, 1, 2, 4, 6);

        var s = CandleLoader.Load(p);

        Assert.Equal(Hour, s.IntervalMs);
        Assert.Equal(2, s.GapCount);
    }

    [Fact]
    public void Empty_file_among_others_is_a_warning()
    {
        WriteHours("a.csv", 0, 1);
        string empty = _dir.Write("b.csv", "timestamp,open,high,low,close,volume\n");

        var s = CandleLoader.Load(_dir.Root);

        Assert.Equal(2, s.Count);
        Assert.Equal([$"{empty}: no candles in the file"], s.Warnings);
    }

    [Theory]
    [InlineData(60_000, "1m")]
    [InlineData(900_000, "15m")]
    [InlineData(3_600_000, "1h")]
    [InlineData(14_400_000, "4h")]
    [InlineData(86_400_000, "1d")]
    [InlineData(604_800_000, "1w")]
    [InlineData(5_400_000, "90m")]
    [InlineData(1_500, "1500ms")]
    [InlineData(2_000, "2s")]
    public void Intervals_are_named_as_exchanges_name_them(long ms, string name) =>
        Assert.Equal(name, CandleInterval.Format(ms));

    public void Dispose() => _dir.Dispose();
}
