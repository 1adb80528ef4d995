using System.Globalization;
using CsvHelper;

namespace Trading.Backtest.Results;

/// <summary>
/// Writes <c>summary.json</c>, <c>trades.csv</c> and <c>equity.csv</c> into a folder. Each file is written to a
/// temporary name and renamed into place, so a crash never leaves a half-written file under the final name.
/// trades.csv: entry_time,exit_time,side,quantity,entry_price,exit_price,pnl,return_pct,fees,exit_reason (times
/// ISO-8601 UTC, the moment of the fill; an open trade has an empty exit_time).
/// equity.csv: time,equity,cash,position,drawdown_pct, one row per candle at its close.
/// </summary>
public static class ResultFiles
{
    private static readonly CsvWriterOptions Csv = new() { NewLine = "\n" };

    /// <param name="extraSummary">Fields the caller adds at the end of summary.json (see <see cref="SummaryJson.Write"/>).</param>
    public static void Write(string directory, BacktestResult result, double? elapsedMs = null, Action<System.Text.Json.Utf8JsonWriter>? extraSummary = null)
    {
        Directory.CreateDirectory(directory);
        Atomic(Path.Combine(directory, "summary.json"), s => File.WriteAllText(s, SummaryJson.ToJson(result, elapsedMs, indented: true, extraSummary) + "\n"));
        Atomic(Path.Combine(directory, "trades.csv"), s => WriteTrades(s, result));
        Atomic(Path.Combine(directory, "equity.csv"), s => WriteEquity(s, result));
    }

    private static void WriteTrades(string path, BacktestResult result)
    {
        using var writer = new StreamWriter(path);
        using var csv = CsvWriter.Create(writer, Csv, false);
        csv.WriteHeader(["entry_time", "exit_time", "side", "quantity", "entry_price", "exit_price", "pnl", "return_pct", "fees", "exit_reason"]);
        foreach (var t in result.Trades)
        {
            csv.WriteField(SummaryJson.Iso(t.EntryTime));
            csv.WriteField(t.ExitTime is { } exit ? SummaryJson.Iso(exit) : "");
            csv.WriteField(t.Side == TradeSide.Long ? "long" : "short");
            csv.WriteField(OrderListHash.Normalize(t.Quantity));
            csv.WriteField(OrderListHash.Normalize(decimal.Round(t.EntryPrice, 8)));
            csv.WriteField(OrderListHash.Normalize(decimal.Round(t.ExitPrice, 8)));
            csv.WriteField(OrderListHash.Normalize(decimal.Round(t.Pnl, 8)));
            csv.WriteField(t.ReturnPct.ToString("0.######", CultureInfo.InvariantCulture));
            csv.WriteField(OrderListHash.Normalize(decimal.Round(t.Fees, 8)));
            csv.WriteField(t.ExitReason);
            csv.EndRecord();
        }
    }

    private static void WriteEquity(string path, BacktestResult result)
    {
        using var writer = new StreamWriter(path);
        using var csv = CsvWriter.Create(writer, Csv, false);
        csv.WriteHeader(["time", "equity", "cash", "position", "drawdown_pct"]);
        var peak = result.Metrics.InitialCash;
        for (var i = 0; i < result.Equity.Length; i++)
        {
            var e = result.Equity[i];
            peak = Math.Max(peak, e);
            csv.WriteField(SummaryJson.Iso(result.Times[i]));
            csv.WriteField(e.ToString("0.########", CultureInfo.InvariantCulture));
            csv.WriteField(result.Cash[i].ToString("0.########", CultureInfo.InvariantCulture));
            csv.WriteField(result.PositionQuantity[i].ToString("0.########", CultureInfo.InvariantCulture));
            csv.WriteField(((1 - (e / peak)) * 100).ToString("0.######", CultureInfo.InvariantCulture));
            csv.EndRecord();
        }
    }

    private static void Atomic(string path, Action<string> write)
    {
        var temp = path + ".tmp";
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
