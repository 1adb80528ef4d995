using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Quant.Cli;
using Trading.Core.Data;

namespace Quant.Commands;

/// <summary>
/// <c>quant data info|validate --data PATH [--from DATE] [--to DATE] [--json]</c>: what a candle file, folder or glob
/// holds (candles, first and last open time in ISO-8601 UTC, interval, gaps and missing candles, price range, warnings),
/// after validating every record. <c>validate</c> says in one line whether the data is usable and, with
/// <c>--strict</c>, also fails on warnings (gaps, irregular spacing). Bad data: the loader's one line
/// (<c>file:line: what</c>) on stderr and exit 3, from either subcommand.
/// </summary>
internal static class DataCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("data", "Inspect, validate and download candle data (a file, a folder or a glob)");
        command.Subcommands.Add(Info(context));
        command.Subcommands.Add(Validate(context));
        command.Subcommands.Add(DataDownloadCommand.Create());
        return command;
    }

    private static Command Info(CliContext context)
    {
        var command = new Command("info", "Candles, time range, interval, gaps and price range of the data");
        var data = new DataOptions(context, "data");
        var json = CommonOptions.Json();
        data.AddTo(command);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var path = data.Path(parse);
            var series = data.Load(parse);
            var report = DataReport.Of(path, series);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                WriteJson(output, report, valid: true, error: null);
            }
            else
            {
                WriteInfo(output, report);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Validate(CliContext context)
    {
        var command = new Command("validate", "Check every record (prices, order, duplicates); exit 3 with file:line on the first problem");
        var data = new DataOptions(context, "data");
        var json = CommonOptions.Json();
        var strict = new Option<bool>("--strict") { Description = "Treat warnings (gaps, irregular spacing) as errors" };
        data.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(strict);
        command.SetAction(parse =>
        {
            var path = data.Path(parse);
            var output = parse.InvocationConfiguration.Output;
            var asJson = parse.GetValue(json);
            DataReport report;
            try
            {
                var series = data.Load(parse);
                report = DataReport.Of(path, series);
                if (series.Count == 0)
                {
                    throw CliException.BadData($"{path}: no candles between --from and --to");
                }

                if (parse.GetValue(strict) && series.Warnings.Count > 0)
                {
                    throw CliException.BadData($"{path}: {series.Warnings[0]} (--strict)");
                }
            }
            catch (Exception e) when (asJson && e is CandleDataException or CliException)
            {
                // Scripts asked for JSON: they get the verdict on stdout too; the one line still goes to stderr.
                WriteJson(output, null, valid: false, error: e.Message);
                throw;
            }

            if (asJson)
            {
                WriteJson(output, report, valid: true, error: null);
            }
            else
            {
                output.WriteLine(
                    $"valid: {report.Path}: {N(report.Candles)} candles, interval {report.Interval}, {Range(report)}, "
                    + $"{Plural(report.Gaps, "gap")} ({N(report.MissingCandles)} missing)");
                foreach (var w in report.Warnings)
                {
                    output.WriteLine($"warning: {w}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteInfo(TextWriter output, DataReport r)
    {
        var files = r.Sources.Count == 1 ? r.Sources[0] : $"{r.Sources.Count} files, {r.Sources[0]} … {r.Sources[^1]}";
        output.WriteLine($"data      {r.Path}");
        output.WriteLine($"files     {files}");
        output.WriteLine($"candles   {N(r.Candles)}");
        output.WriteLine($"interval  {r.Interval}");
        if (r.Candles > 0)
        {
            output.WriteLine($"first     {UtcDate.Format(r.Start)}");
            output.WriteLine($"last      {UtcDate.Format(r.End)}");
            output.WriteLine($"covers    {UtcDate.Format(r.Start)} → {UtcDate.Format(r.CoversTo)}");
            output.WriteLine($"price     {Price(r.Low)} … {Price(r.High)} (lowest low … highest high)");
            output.WriteLine($"volume    {Price(r.Volume)}");
        }

        output.WriteLine($"gaps      {N(r.Gaps)} ({N(r.MissingCandles)} missing candles)");
        output.WriteLine($"warnings  {(r.Warnings.Count == 0 ? "none" : N(r.Warnings.Count))}");
        foreach (var w in r.Warnings)
        {
            output.WriteLine($"  {w}");
        }
    }

    private static void WriteJson(TextWriter output, DataReport? r, bool valid, string? error)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteBoolean("valid", valid);
            if (error is not null)
            {
                w.WriteString("error", error);
            }

            if (r is not null)
            {
                w.WriteString("path", r.Path);
                w.WriteStartArray("sources");
                foreach (var s in r.Sources)
                {
                    w.WriteStringValue(s);
                }

                w.WriteEndArray();
                w.WriteNumber("candles", r.Candles);
                w.WriteString("interval", r.Interval);
                w.WriteNumber("interval_ms", r.IntervalMs);
                if (r.Candles > 0)
                {
                    w.WriteString("start", UtcDate.Format(r.Start));
                    w.WriteString("end", UtcDate.Format(r.End));
                    w.WriteString("covers_to", UtcDate.Format(r.CoversTo));
                    w.WriteNumber("start_ms", r.Start);
                    w.WriteNumber("end_ms", r.End);
                    w.WriteNumber("low", r.Low);
                    w.WriteNumber("high", r.High);
                    w.WriteNumber("volume", Math.Round(r.Volume, 8));
                }

                w.WriteNumber("gaps", r.Gaps);
                w.WriteNumber("missing_candles", r.MissingCandles);
                w.WriteStartArray("warnings");
                foreach (var s in r.Warnings)
                {
                    w.WriteStringValue(s);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static string Range(DataReport r) =>
        r.Candles == 0 ? "no range" : $"{UtcDate.Format(r.Start)} → {UtcDate.Format(r.End)}";

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Plural(long n, string word) => $"{N(n)} {word}{(n == 1 ? "" : "s")}";

    private static string Price(double v) => v.ToString("#,0.########", CultureInfo.InvariantCulture);
}
