using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Quant.Cli;
using Trading.Core.Data;

namespace Quant.Download;

/// <summary>
/// Pages through REST <c>/api/v3/klines</c> (<see cref="PageSize"/> per request) into a CSV that every command reads.
/// <list type="bullet">
/// <item>Weight: the minute's budget is the REQUEST_WEIGHT limit of <c>exchangeInfo</c>; after each answer the used
/// weight (<c>X-MBX-USED-WEIGHT-1m</c>) is compared with it, and when the next page could cross
/// <see cref="BudgetShare"/> of it the downloader waits for the next minute instead of being refused.</item>
/// <item>429 / 418: waits the <c>Retry-After</c> seconds (1 s when absent) and asks again, at most
/// <see cref="MaxRetries"/> times in a row.</item>
/// <item>Resume: when the output already has candles, it is validated by <see cref="CandleLoader"/> and the download
/// starts after its last candle; a last line cut short by an interruption is dropped first. Pages are flushed whole,
/// so an interrupted download leaves a valid prefix.</item>
/// <item>Only closed candles are written (those before the newest kline, which is the forming one), so a resumed file
/// never holds a partial candle.</item>
/// <item>The file is validated with <see cref="CandleLoader"/> at the end: the same reader as every command.</item>
/// </list>
/// Waiting goes through the injected <c>wait</c> so that tests drive it without sleeping. Progress is one line per page
/// on <c>progress</c>, and the share of the range done (0…1, when the range is known) on <c>fraction</c>.
/// </summary>
internal sealed class KlineDownloader(
    HttpClient http, Func<TimeSpan, CancellationToken, Task> wait, TextWriter progress, Action<double>? fraction = null)
{
    public const int PageSize = 1000;

    /// <summary>Weight of one klines request of <see cref="PageSize"/> (Binance: limit 1000 → 2).</summary>
    public const int PageWeight = 2;

    public const double BudgetShare = 0.9;

    public const int MaxRetries = 5;

    private const string Header = "timestamp,open,high,low,close,volume";

    /// <summary>Downloads <paramref name="request"/>; returns the validated file's candles. Venue errors throw <see cref="CliException"/>.</summary>
    public async Task<CandleSeries> RunAsync(KlineDownload request, CancellationToken cancellationToken)
    {
        var limit = await WeightLimitAsync(request, cancellationToken).ConfigureAwait(false);
        var forming = await FormingOpenAsync(request, limit, cancellationToken).ConfigureAwait(false);
        var end = Math.Min(request.To ?? long.MaxValue, forming);
        var cursor = Resume(request);
        if (cursor > request.From)
        {
            progress.WriteLine($"resuming after {UtcIso(cursor - request.IntervalMs)}, the last candle in {request.OutPath}");
        }

        cursor = Math.Max(cursor, request.From);
        long written = 0;
        using (var file = new StreamWriter(request.OutPath, append: true, new UTF8Encoding(false)))
        {
            if (file.BaseStream.Length == 0)
            {
                file.Write(Header + "\n");
            }

            while (cursor < end)
            {
                var url = $"/api/v3/klines?symbol={request.Symbol}&interval={request.Interval}&startTime={cursor}"
                    + $"&endTime={end - 1}&limit={PageSize}";
                using var page = await GetAsync(url, limit, cancellationToken).ConfigureAwait(false);
                var rows = page.RootElement;
                var kept = 0;
                long last = -1;
                var text = new StringBuilder();
                foreach (var k in rows.EnumerateArray())
                {
                    var open = k[0].GetInt64();
                    if (open < cursor || open >= end)
                    {
                        continue;
                    }

                    text.Append(open.ToString(CultureInfo.InvariantCulture)).Append(',').Append(k[1].GetString())
                        .Append(',').Append(k[2].GetString()).Append(',').Append(k[3].GetString())
                        .Append(',').Append(k[4].GetString()).Append(',').Append(k[5].GetString()).Append('\n');
                    kept++;
                    last = open;
                }

                if (kept == 0)
                {
                    break;
                }

                file.Write(text);
                file.Flush();
                written += kept;
                cursor = last + request.IntervalMs;
                double? done = end == long.MaxValue || end <= request.From ? null : Math.Min(1, (double)(cursor - request.From) / (end - request.From));
                var share = done is { } d ? $" ({100 * d:0}%)" : "";
                if (done is { } f)
                {
                    fraction?.Invoke(f);
                }

                progress.WriteLine($"downloaded {written:N0} candles, up to {UtcIso(last)}{share}");
            }
        }

        var series = CandleLoader.Load(request.OutPath);
        progress.WriteLine($"wrote {written:N0} new candles; {request.OutPath} holds {series.Count:N0}, validated");
        return series;
    }

    // The next open time to fetch: after the last candle of an existing output (validated), else request.From.
    private static long Resume(KlineDownload request)
    {
        var info = new FileInfo(request.OutPath);
        if (!info.Exists || info.Length == 0)
        {
            return request.From;
        }

        DropCutLine(request.OutPath);
        var text = File.ReadAllText(request.OutPath);
        if (text.Trim() == Header)
        {
            return request.From;
        }

        var existing = CandleLoader.Load(request.OutPath);
        if (existing.IntervalMs != 0 && existing.Count > 1 && existing.IntervalMs != request.IntervalMs)
        {
            throw CliException.Usage($"--out {request.OutPath}: holds {CandleInterval.Format(existing.IntervalMs)} candles, not {request.Interval}");
        }

        return existing.Candles[^1].OpenTime + request.IntervalMs;
    }

    // An interrupted write can leave a last line without its newline: cut it, the download fetches that candle again.
    private static void DropCutLine(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var length = stream.Length;
        var one = new byte[1];
        var end = length;
        while (end > 0)
        {
            stream.Position = end - 1;
            stream.ReadExactly(one);
            if (one[0] == (byte)'\n')
            {
                break;
            }

            end--;
        }

        if (end != length)
        {
            stream.SetLength(end);
        }
    }

    private async Task<int> WeightLimitAsync(KlineDownload request, CancellationToken cancellationToken)
    {
        using var info = await GetAsync($"/api/v3/exchangeInfo?symbol={request.Symbol}", int.MaxValue, cancellationToken).ConfigureAwait(false);
        foreach (var l in info.RootElement.GetProperty("rateLimits").EnumerateArray())
        {
            if (l.GetProperty("rateLimitType").GetString() == "REQUEST_WEIGHT" && l.GetProperty("interval").GetString() == "MINUTE"
                && l.GetProperty("intervalNum").GetInt32() == 1)
            {
                return l.GetProperty("limit").GetInt32();
            }
        }

        return 6000;
    }

    // The open time of the newest kline, which is the forming one: every candle before it has closed. Taken from the
    // venue's own klines rather than its serverTime, because a simulator's market clock is not its wall clock.
    private async Task<long> FormingOpenAsync(KlineDownload request, int weightLimit, CancellationToken cancellationToken)
    {
        using var newest = await GetAsync($"/api/v3/klines?symbol={request.Symbol}&interval={request.Interval}&limit=1", weightLimit, cancellationToken)
            .ConfigureAwait(false);
        return newest.RootElement.GetArrayLength() == 0 ? long.MinValue : newest.RootElement[0][0].GetInt64();
    }

    // GET with the weight budget and Retry-After handling; a non-success answer other than 429/418 is a CliException.
    private async Task<JsonDocument> GetAsync(string url, int weightLimit, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.TooManyRequests or (HttpStatusCode)418)
            {
                if (attempt >= MaxRetries)
                {
                    throw new CliException(ExitCodes.Failure, $"{http.BaseAddress}: still refused ({(int)response.StatusCode}) after {MaxRetries} retries: {body}");
                }

                var seconds = response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1;
                progress.WriteLine($"rate limited ({(int)response.StatusCode}); waiting {seconds:0} s as Retry-After asks");
                await wait(TimeSpan.FromSeconds(Math.Max(1, seconds)), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new CliException(ExitCodes.Failure, $"{http.BaseAddress}{url.TrimStart('/')}: {(int)response.StatusCode} {body}");
            }

            if (response.Headers.TryGetValues("X-MBX-USED-WEIGHT-1m", out var values)
                && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var used)
                && used + PageWeight > weightLimit * BudgetShare)
            {
                var date = response.Headers.Date ?? DateTimeOffset.UtcNow;
                var untilNextMinute = TimeSpan.FromSeconds(60 - date.Second);
                progress.WriteLine($"used weight {used} of {weightLimit} this minute; waiting {untilNextMinute.TotalSeconds:0} s");
                await wait(untilNextMinute, cancellationToken).ConfigureAwait(false);
            }

            return JsonDocument.Parse(body);
        }
    }

    private static string UtcIso(long ms) => UtcDate.Format(ms);
}
