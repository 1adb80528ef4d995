using System.Globalization;
using System.Text.Json;
using Quant.Cli;

namespace Quant.Tests;

/// <summary>
/// End-to-end <c>quant data info|validate</c> on the shipped data (found through <see cref="DataPaths"/>, as a user
/// running from elsewhere would) and on small hand-made files.
/// </summary>
public sealed class DataCommandTests
{
    private const string Header = "timestamp,open,high,low,close,volume";

    [Fact]
    public void Validate_reports_8784_hourly_candles_for_the_shipped_csv()
    {
        var r = CliRunner.Run("data", "validate", "--data", "data/BTCUSDT_1h_2024.csv");
        Assert.True(r.ExitCode == 0, r.Stderr);
        // The test runs in its bin folder, so the path is resolved in the repository (see DataPaths).
        Assert.StartsWith("valid: ", r.Stdout, StringComparison.Ordinal);
        Assert.EndsWith(
            "data/BTCUSDT_1h_2024.csv: 8,784 candles, interval 1h, 2024-01-01T00:00:00Z → 2024-12-31T23:00:00Z, 0 gaps (0 missing)\n",
            r.Stdout,
            StringComparison.Ordinal);
    }

    [Fact]
    public void The_binance_zips_hold_the_same_candles_as_the_csv()
    {
        var csv = Json("data", "info", "--json", "--data", "data/BTCUSDT_1h_2024.csv");
        var zips = Json("data", "validate", "--json", "--data", "data/binance-raw");
        Assert.True(zips.GetProperty("valid").GetBoolean());
        Assert.Equal(12, zips.GetProperty("sources").GetArrayLength());
        foreach (var field in new[] { "candles", "interval", "start", "end", "low", "high", "volume", "gaps", "missing_candles" })
        {
            Assert.Equal(csv.GetProperty(field).ToString(), zips.GetProperty(field).ToString());
        }
    }

    [Fact]
    public void Info_json_matches_figures_computed_straight_from_the_csv()
    {
        // Independent figures: split the shipped CSV's lines by hand.
        var path = Path.Combine(DataPaths.RepositoryOf(AppContext.BaseDirectory)!, "data", "BTCUSDT_1h_2024.csv");
        var rows = File.ReadLines(path).Skip(1).Select(l => l.Split(',')).ToArray();
        var low = rows.Min(r => double.Parse(r[3], CultureInfo.InvariantCulture));
        var high = rows.Max(r => double.Parse(r[2], CultureInfo.InvariantCulture));

        var info = Json("data", "info", "--json");
        Assert.Equal(8784, rows.Length);
        Assert.Equal(rows.Length, info.GetProperty("candles").GetInt32());
        Assert.Equal("1h", info.GetProperty("interval").GetString());
        Assert.Equal(3_600_000, info.GetProperty("interval_ms").GetInt64());
        Assert.Equal("2024-01-01T00:00:00Z", info.GetProperty("start").GetString());
        Assert.Equal("2024-12-31T23:00:00Z", info.GetProperty("end").GetString());
        Assert.Equal("2025-01-01T00:00:00Z", info.GetProperty("covers_to").GetString());
        Assert.Equal(long.Parse(rows[0][0], CultureInfo.InvariantCulture), info.GetProperty("start_ms").GetInt64());
        Assert.Equal(long.Parse(rows[^1][0], CultureInfo.InvariantCulture), info.GetProperty("end_ms").GetInt64());
        Assert.Equal(low, info.GetProperty("low").GetDouble());
        Assert.Equal(high, info.GetProperty("high").GetDouble());
        Assert.Equal(0, info.GetProperty("gaps").GetInt32());
        Assert.Equal(0, info.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public void Range_and_glob_select_candles()
    {
        // March 2024: 31 days × 24 hours.
        Assert.Equal(744, Json("data", "info", "--json", "--from", "2024-03-01", "--to", "2024-04-01").GetProperty("candles").GetInt32());

        // January..September 2024 (a leap year): 31+29+31+30+31+30+31+31+30 = 274 days.
        var glob = Json("data", "info", "--json", "--data", "data/binance-raw/BTCUSDT-1h-2024-0?.zip");
        Assert.Equal(274 * 24, glob.GetProperty("candles").GetInt32());
        Assert.Equal("2024-09-30T23:00:00Z", glob.GetProperty("end").GetString());
    }

    [Fact]
    public void Human_info_lists_range_interval_and_gaps()
    {
        var r = CliRunner.Run("data", "info");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("candles   8,784", lines);
        Assert.Contains("interval  1h", lines);
        Assert.Contains("first     2024-01-01T00:00:00Z", lines);
        Assert.Contains("last      2024-12-31T23:00:00Z", lines);
        Assert.Contains("gaps      0 (0 missing candles)", lines);
    }

    [Fact]
    public void Gaps_are_warnings_and_strict_validation_fails_on_them()
    {
        using var dir = new TempFolder();
        // Hourly candles at 00:00, 01:00, then 04:00: one gap, two missing candles (02:00 and 03:00).
        var file = dir.Write(
            "gappy.csv",
            Header,
            "1704067200000,10,11,9,10,1",
            "1704070800000,10,11,9,10,1",
            "1704081600000,10,11,9,10,1");

        var info = Json("data", "info", "--json", "--data", file);
        Assert.Equal(3, info.GetProperty("candles").GetInt32());
        Assert.Equal(1, info.GetProperty("gaps").GetInt32());
        Assert.Equal(2, info.GetProperty("missing_candles").GetInt32());
        Assert.NotEqual(0, info.GetProperty("warnings").GetArrayLength());

        var ok = CliRunner.Run("data", "validate", "--data", file);
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("1 gap (2 missing)", ok.Stdout, StringComparison.Ordinal);
        Assert.Contains("warning: ", ok.Stdout, StringComparison.Ordinal);

        CliRunner.Run("data", "validate", "--strict", "--data", file).AssertOneLineError(3, "(--strict)");
    }

    [Fact]
    public void Bad_record_exits_3_with_file_and_line()
    {
        using var dir = new TempFolder();
        var file = dir.Write(
            "bad.csv",
            Header,
            "1704067200000,10,11,9,10,1",
            "1704070800000,10,9,11,10,1");

        CliRunner.Run("data", "validate", "--data", file).AssertOneLineError(3, $"{file}:3: ");
        CliRunner.Run("data", "info", "--data", file).AssertOneLineError(3, $"{file}:3: ");

        var json = CliRunner.Run("data", "validate", "--json", "--data", file);
        Assert.Equal(3, json.ExitCode);
        Assert.Single(json.ErrorLines);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.False(doc.RootElement.GetProperty("valid").GetBoolean());
        Assert.StartsWith($"{file}:3: ", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_exits_3_and_bad_flags_exit_2()
    {
        CliRunner.Run("data", "validate", "--data", "no/such/file.csv").AssertOneLineError(3, "no/such/file.csv");
        CliRunner.Run("data", "info", "--from", "2024-05-01", "--to", "2024-04-01").AssertUsageError("is not before --to");
        CliRunner.Run("data", "inspect").AssertUsageError("'inspect'");
        CliRunner.Run("data", "validate", "--strikt").AssertUsageError("'--strikt'");
    }

    [Fact]
    public void An_empty_range_is_not_valid()
    {
        CliRunner.Run("data", "validate", "--from", "2030-01-01").AssertOneLineError(3, "no candles between --from and --to");
    }

    private static JsonElement Json(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        return doc.RootElement.Clone();
    }
}
