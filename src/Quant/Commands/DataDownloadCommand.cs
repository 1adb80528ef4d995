using System.CommandLine;
using Quant.Cli;
using Quant.Download;
using Spectre.Console;

namespace Quant.Commands;

/// <summary>
/// <c>quant data download --symbol BTCUSDT --interval 1m --from DATE [--to DATE] --out PATH
/// [--exchange binance|binance-testnet|sim] [--rest-url URL]</c>: REST klines into a CSV that every command reads
/// (see <see cref="KlineDownloader"/> for paging, request weight, Retry-After and resuming). Progress goes to stderr,
/// one line per page; the summary of the validated file to stdout.
/// </summary>
internal static class DataDownloadCommand
{
    /// <summary>Binance's kline intervals of a fixed length (1M, a calendar month, is not one).</summary>
    private static readonly string[] Intervals = ["1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w"];

    public static Command Create()
    {
        var command = new Command("download", "Download klines from the venue's REST API into a CSV (resumes an interrupted download)");
        var symbol = new Option<string>("--symbol") { Description = "Symbol, such as BTCUSDT", DefaultValueFactory = _ => "BTCUSDT", HelpName = "SYMBOL" };
        var interval = new Option<string>("--interval") { Description = "Kline interval: " + string.Join(", ", Intervals), Required = true, HelpName = "INTERVAL" };
        interval.AcceptOnlyFromAmong(Intervals);
        var from = new Option<string>("--from") { Description = "First candle's open time (ISO-8601, UTC)", Required = true, HelpName = "DATE" };
        var to = new Option<string?>("--to") { Description = "Stop before this open time (ISO-8601, UTC; default: the last closed candle)", HelpName = "DATE" };
        var output = new Option<string>("--out") { Description = "CSV to write, or to append to when it already has candles", Required = true, HelpName = "PATH" };
        var exchange = new Option<string>("--exchange") { Description = "Venue: binance, binance-testnet or sim", DefaultValueFactory = _ => "binance", HelpName = "VENUE" };
        exchange.AcceptOnlyFromAmong("binance", "binance-testnet", "sim");
        var restUrl = new Option<string?>("--rest-url") { Description = "REST base URL (default: the venue's; required with --exchange sim, which prints it)", HelpName = "URL" };
        foreach (var o in new Option[] { symbol, interval, from, to, output, exchange, restUrl })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            var venue = parse.GetValue(exchange)!;
            var request = new KlineDownload
            {
                RestUrl = parse.GetValue(restUrl) is { } url ? RestUrl(url) : DefaultUrl(venue),
                Symbol = parse.GetValue(symbol)!,
                Interval = parse.GetValue(interval)!,
                IntervalMs = IntervalMs(parse.GetValue(interval)!),
                From = Date("--from", parse.GetValue(from)!),
                To = parse.GetValue(to) is { } t ? Date("--to", t) : null,
                OutPath = parse.GetValue(output)!,
            };
            if (request.To is { } end && end <= request.From)
            {
                throw CliException.Usage($"--from {UtcDate.Format(request.From)} is not before --to {UtcDate.Format(end)}");
            }

            using var http = new HttpClient { BaseAddress = request.RestUrl };
            var errors = parse.InvocationConfiguration.Error;
            var series = ReferenceEquals(errors, Console.Error) && !Console.IsErrorRedirected
                ? await WithProgressBarAsync(http, request, ct).ConfigureAwait(false)
                : await new KlineDownloader(http, Task.Delay, errors).RunAsync(request, ct).ConfigureAwait(false);
            parse.InvocationConfiguration.Output.WriteLine(
                $"{request.OutPath}: {series.Count:N0} candles, {(series.Count == 0 ? "none" : $"{UtcDate.Format(series.Candles[0].OpenTime)} → {UtcDate.Format(series.Candles[^1].OpenTime)}")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    // On a terminal: a Spectre.Console progress bar on stderr whose caption is the latest progress line.
    private static async Task<Trading.Core.Data.CandleSeries> WithProgressBarAsync(HttpClient http, KlineDownload request, CancellationToken ct)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        Trading.Core.Data.CandleSeries? series = null;
        await console.Progress().AutoClear(false).StartAsync(async ctx =>
        {
            var task = ctx.AddTask($"{request.Symbol} {request.Interval}", maxValue: 1);
            using var caption = new CaptionWriter(task);
            series = await new KlineDownloader(http, Task.Delay, caption, f => task.Value = f).RunAsync(request, ct).ConfigureAwait(false);
            task.Value = 1;
        }).ConfigureAwait(false);
        return series!;
    }

    /// <summary>The length of a Binance interval label such as <c>15m</c>.</summary>
    internal static long IntervalMs(string label)
    {
        var n = long.Parse(label.AsSpan(0, label.Length - 1), System.Globalization.CultureInfo.InvariantCulture);
        return label[^1] switch
        {
            's' => n * 1000,
            'm' => n * 60_000,
            'h' => n * 3_600_000,
            'd' => n * 86_400_000,
            'w' => n * 604_800_000,
            _ => throw CliException.Usage($"--interval: expected one of {string.Join(", ", Intervals)}, got '{label}'"),
        };
    }

    private static Uri DefaultUrl(string venue) => venue switch
    {
        "binance-testnet" => new Uri("https://testnet.binance.vision"),
        "sim" => throw CliException.Usage("--exchange sim: also pass --rest-url, the REST URL `quant sim` prints"),
        _ => new Uri("https://api.binance.com"),
    };

    private static Uri RestUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw CliException.Usage($"--rest-url: expected an http or https URL such as http://127.0.0.1:8080, got '{text}'");

    private static long Date(string flag, string text) =>
        UtcDate.TryParseMs(text) ?? throw CliException.Usage($"{flag}: expected an ISO-8601 date or date-time such as 2024-03-01, got '{text}'");
}
