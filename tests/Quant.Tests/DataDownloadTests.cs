using Quant.Cli;
using Quant.Download;
using Trading.Core.Data;
using Trading.Core.Market;
using Trading.Sim;
using Trading.Sim.Faults;

namespace Quant.Tests;

/// <summary>
/// <c>quant data download</c> against the in-process simulator (Trading.Sim's <see cref="SimServer"/>) replaying the
/// first candles of the shipped data: paging, validation with the same reader, resuming, Retry-After and the weight
/// budget. Waiting is driven through the downloader's <c>wait</c>, which advances the simulator's wall clock instead
/// of sleeping.
/// </summary>
public sealed class DataDownloadTests : IDisposable
{
    // 2,400 closed hourly candles of history (3 pages: 1,000 + 1,000 + 400); the replay starts at the next one.
    private const int History = 2400;

    private static readonly Candle[] Shipped = CandleLoader.Load(
        Path.Combine(DataPaths.RepositoryOf(AppContext.BaseDirectory)!, DataPaths.Relative)).Candles[..(History + 10)];

    private readonly TempFolder _temp = new();
    private readonly Clock _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly List<TimeSpan> _waits = [];
    private readonly StringWriter _progress = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Downloads_every_closed_candle_in_pages_into_a_file_data_validate_accepts()
    {
        await using var sim = await Start();
        var out1 = Path.Combine(_temp.Path, "btc.csv");
        var series = await Download(sim, out1);

        Assert.Equal(History, series.Count);
        Assert.Equal(Shipped[..History].Select(c => c.OpenTime), series.Candles.Select(c => c.OpenTime));
        Assert.Equal(3, _progress.ToString().Split('\n').Count(l => l.StartsWith("downloaded ", StringComparison.Ordinal)));
        Assert.Empty(_waits);
        var validate = CliRunner.Run("data", "validate", "--strict", "--data", out1);
        Assert.True(validate.ExitCode == 0, validate.Stderr);
        Assert.Contains(": 2,400 candles, interval 1h, 2024-01-01T00:00:00Z → ", validate.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interrupted_download_resumes_after_the_last_candle_without_duplicates_or_gaps()
    {
        await using var sim = await Start();
        var whole = Path.Combine(_temp.Path, "whole.csv");
        await Download(sim, whole);

        var part = Path.Combine(_temp.Path, "part.csv");
        await Download(sim, part, to: Shipped[1500].OpenTime);
        // An interruption in the middle of a line: the cut line is dropped and fetched again.
        File.AppendAllText(part, $"{Shipped[1500].OpenTime},42000.1");
        await Download(sim, part);

        Assert.Contains($"resuming after {UtcDate.Format(Shipped[1499].OpenTime)}", _progress.ToString(), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(whole), File.ReadAllText(part));
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After()
    {
        await using var sim = await Start(o => o with { Faults = FaultSpec.Parse("seed=3,ratelimit=0.5:7s") });
        var series = await Download(sim, Path.Combine(_temp.Path, "btc.csv"));

        Assert.Equal(History, series.Count);
        Assert.NotEmpty(_waits);
        Assert.All(_waits, w => Assert.Equal(TimeSpan.FromSeconds(7), w));
        Assert.Contains("rate limited (429); waiting 7 s as Retry-After asks", _progress.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_used_weight_header_makes_it_wait_for_the_next_minute_instead_of_being_refused()
    {
        await using var sim = await Start(o => o with { RequestWeightLimit = 30 });
        var series = await Download(sim, Path.Combine(_temp.Path, "btc.csv"));

        Assert.Equal(History, series.Count);
        Assert.Contains("used weight ", _progress.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("rate limited", _progress.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_downloads_from_quant_sim_and_prints_the_validated_file()
    {
        await using var sim = await Start();
        var path = Path.Combine(_temp.Path, "cli.csv");
        var r = CliRunner.Run(
            "data", "download", "--exchange", "sim", "--rest-url", sim.RestUrl.ToString(), "--symbol", "BTCUSDT",
            "--interval", "4h", "--from", "2024-01-01", "--to", "2024-02-01", "--out", path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal($"{path}: 186 candles, 2024-01-01T00:00:00Z → 2024-01-31T20:00:00Z\n", r.Stdout);
        Assert.Contains("downloaded 186 candles, up to 2024-01-31T20:00:00Z (100%)", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Sim_without_a_rest_url_and_a_bad_interval_are_usage_errors()
    {
        CliRunner.Run("data", "download", "--interval", "1h", "--from", "2024-01-01", "--out", "x.csv", "--exchange", "sim")
            .AssertUsageError("--exchange sim: also pass --rest-url");
        CliRunner.Run("data", "download", "--interval", "7m", "--from", "2024-01-01", "--out", "x.csv")
            .AssertUsageError("7m");
    }

    private async Task<SimServer> Start(Func<SimOptions, SimOptions>? configure = null)
    {
        var options = new SimOptions { Candles = Shipped, StartCandle = History, Time = _clock };
        return await SimServer.StartAsync(configure?.Invoke(options) ?? options);
    }

    private Task<CandleSeries> Download(SimServer sim, string path, long? to = null)
    {
        var http = new HttpClient { BaseAddress = sim.RestUrl };
        var downloader = new KlineDownloader(http, Wait, _progress);
        return downloader.RunAsync(
            new KlineDownload
            {
                RestUrl = sim.RestUrl,
                Symbol = "BTCUSDT",
                Interval = "1h",
                IntervalMs = 3_600_000,
                From = Shipped[0].OpenTime,
                To = to,
                OutPath = path,
            },
            CancellationToken.None);
    }

    private Task Wait(TimeSpan delay, CancellationToken cancellationToken)
    {
        _waits.Add(delay);
        _clock.Advance(delay);
        return Task.CompletedTask;
    }

    private sealed class Clock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks = start.UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
