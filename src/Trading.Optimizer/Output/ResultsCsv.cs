using System.Globalization;
using CsvHelper;
using Trading.Optimizer.Backtesting;
using Trading.Optimizer.Running;

namespace Trading.Optimizer.Output;

/// <summary>
/// <c>results.csv</c>: one row per completed run, in index order (so the file is identical for any thread count):
/// index, every parameter (name order), score (empty when discarded), kept, then the metrics and the order list hash.
/// Numbers are invariant and round-trippable; ±∞ as inf/-inf.
/// </summary>
public static class ResultsCsv
{
    private static readonly CsvWriterOptions Options = new() { NewLine = "\n" };

    private static readonly string[] MetricColumns =
    [
        "trades", "open_trades", "final_equity", "total_return_pct", "cagr_pct", "buy_hold_return_pct", "volatility_pct", "sharpe", "sortino",
        "calmar", "max_drawdown_pct", "max_drawdown_duration_ms", "win_rate_pct", "best_trade_pct", "worst_trade_pct", "avg_trade_pct",
        "profit_factor", "expectancy", "exposure_pct", "fees", "fills", "rejected_orders", "order_list_hash",
    ];

    public static void Write(string path, IReadOnlyList<Trial<RunMetrics>> trials)
    {
        // Written under a temporary name and renamed, so an interrupted run never leaves a truncated results.csv.
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        using (var writer = new StreamWriter(temp))
        {
            Write(writer, trials);
        }

        File.Move(temp, path, overwrite: true);
    }

    public static void Write(TextWriter writer, IReadOnlyList<Trial<RunMetrics>> trials)
    {
        using var csv = CsvWriter.Create(writer, Options, true);
        var names = trials.Count > 0 ? trials[0].Parameters.Names : [];
        csv.WriteHeader([.. (string[])["index"], .. names, "score", "kept", .. MetricColumns]);
        foreach (var t in trials)
        {
            var m = t.Result.Metrics;
            csv.WriteField(t.Index.ToString(CultureInfo.InvariantCulture));
            foreach (var v in t.Parameters.Values)
            {
                csv.WriteField(Format.Number(v));
            }

            csv.WriteField(t.Score is double s ? Format.Number(s) : "");
            csv.WriteField(t.Kept ? "true" : "false");
            csv.WriteField(m.Trades.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(m.OpenTrades.ToString(CultureInfo.InvariantCulture));
            foreach (var v in new[] { m.FinalEquity, m.TotalReturnPct, m.CagrPct, m.BuyHoldReturnPct, m.VolatilityPct, m.Sharpe, m.Sortino, m.Calmar, m.MaxDrawdownPct })
            {
                csv.WriteField(Format.Number(v));
            }

            csv.WriteField(m.MaxDrawdownDurationMs.ToString(CultureInfo.InvariantCulture));
            foreach (var v in new[] { m.WinRatePct, m.BestTradePct, m.WorstTradePct, m.AvgTradePct, m.ProfitFactor, m.Expectancy, m.ExposurePct, m.Fees })
            {
                csv.WriteField(Format.Number(v));
            }

            csv.WriteField(t.Result.Fills.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(t.Result.RejectedOrders.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(t.Result.OrderListHash);
            csv.EndRecord();
        }
    }
}
