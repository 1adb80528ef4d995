using System.Text.Json;
using Trading.Backtest.Metrics;
using Trading.Backtest.Results;
using Trading.Core.Market;

namespace Trading.Backtest.Report;

/// <summary>
/// The data island of a backtest report, read by Assets/backtest.js. Series are column arrays (one value per
/// candle) to keep 8,784 candles small and quick to parse; times are UTC seconds, lightweight-charts' unit.
/// <code>
/// { title, subtitle, bars: { t, o, h, l, c }, equity, buyHold, drawdown, initialCash,
///   markers: [{ bar, trade, entry, side, price }], trades: [{ side, entry, exit, entryBar, exitBar, qty, entryPrice,
///   exitPrice, pnl, ret, fees, reason }], metrics: [{ label, value, tone }] }
/// </code>
/// </summary>
internal static class BacktestReportJson
{
    public static byte[] Build(BacktestResult result, ReadOnlySpan<Candle> candles, BacktestSeries series, string title, string subtitle)
    {
        using var buffer = new MemoryStream(candles.Length * 96);
        using (var w = new Utf8JsonWriter(buffer, ReportFormat.Json))
        {
            w.WriteStartObject();
            w.WriteString("title", title);
            w.WriteString("subtitle", subtitle);
            ReportFormat.WriteNumber(w, "initialCash", result.Metrics.InitialCash);

            w.WriteStartObject("bars");
            w.WriteStartArray("t");
            foreach (ref readonly var c in candles)
            {
                w.WriteNumberValue(c.OpenTime / 1000);
            }

            w.WriteEndArray();
            Column(w, "o", candles, static c => c.Open);
            Column(w, "h", candles, static c => c.High);
            Column(w, "l", candles, static c => c.Low);
            Column(w, "c", candles, static c => c.Close);
            w.WriteEndObject();

            // Money to the cent and drawdown to 0.0001 %: finer than a chart can show, and half the bytes.
            Rounded(w, "equity", result.Equity, 2);
            Rounded(w, "buyHold", series.BuyHold, 2);
            Rounded(w, "drawdown", series.Drawdown, 4);

            w.WriteStartArray("markers");
            foreach (var m in series.Markers)
            {
                w.WriteStartObject();
                w.WriteNumber("bar", m.Bar);
                w.WriteNumber("trade", m.Trade);
                w.WriteBoolean("entry", m.IsEntry);
                w.WriteString("side", m.Side == TradeSide.Long ? "long" : "short");
                ReportFormat.WriteNumber(w, "price", m.Price);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteTrades(w, result, series);
            WriteMetrics(w, result);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteTrades(Utf8JsonWriter w, BacktestResult result, BacktestSeries series)
    {
        var entryBar = new int[result.Trades.Count];
        var exitBar = new int[result.Trades.Count];
        Array.Fill(exitBar, -1);
        foreach (var m in series.Markers)
        {
            (m.IsEntry ? entryBar : exitBar)[m.Trade] = m.Bar;
        }

        w.WriteStartArray("trades");
        for (var k = 0; k < result.Trades.Count; k++)
        {
            var t = result.Trades[k];
            w.WriteStartObject();
            w.WriteString("side", t.Side == TradeSide.Long ? "long" : "short");
            w.WriteString("entry", ReportFormat.Time(t.EntryTime));
            if (t.ExitTime is { } exit)
            {
                w.WriteString("exit", ReportFormat.Time(exit));
            }
            else
            {
                w.WriteNull("exit");
            }

            w.WriteNumber("entryBar", entryBar[k]);
            w.WriteNumber("exitBar", exitBar[k]);
            w.WriteNumber("qty", (double)t.Quantity);
            w.WriteNumber("entryPrice", (double)decimal.Round(t.EntryPrice, 8));
            w.WriteNumber("exitPrice", (double)decimal.Round(t.ExitPrice, 8));
            w.WriteNumber("pnl", (double)decimal.Round(t.Pnl, 2));
            ReportFormat.WriteNumber(w, "ret", Math.Round(t.ReturnPct, 4));
            w.WriteNumber("fees", (double)decimal.Round(t.Fees, 2));
            w.WriteString("reason", t.ExitReason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteMetrics(Utf8JsonWriter w, BacktestResult result)
    {
        var m = result.Metrics;
        w.WriteStartArray("metrics");
        foreach (var (label, value, tone) in Rows(m, result))
        {
            w.WriteStartObject();
            w.WriteString("label", label);
            w.WriteString("value", value);
            w.WriteString("tone", tone);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>The summary table: DESIGN.md's list, formatted; tone is "pos", "neg" or "" (colour of the value).</summary>
    internal static IEnumerable<(string Label, string Value, string Tone)> Rows(BacktestMetrics m, BacktestResult r)
    {
        static string Tone(double v) => v > 0 ? "pos" : v < 0 ? "neg" : "";
        yield return ("Start", ReportFormat.Time(m.Start), "");
        yield return ("End", ReportFormat.Time(m.End), "");
        yield return ("Candles", ReportFormat.Number(m.Candles, 0), "");
        yield return ("Initial cash", ReportFormat.Number(m.InitialCash, 2), "");
        yield return ("Final equity", ReportFormat.Number(m.FinalEquity, 2), Tone(m.FinalEquity - m.InitialCash));
        yield return ("Total return", ReportFormat.Percent(m.TotalReturnPct), Tone(m.TotalReturnPct));
        yield return ("CAGR", ReportFormat.Percent(m.CagrPct), Tone(m.CagrPct));
        yield return ("Buy & hold return", ReportFormat.Percent(m.BuyHoldReturnPct), Tone(m.BuyHoldReturnPct));
        yield return ("Max drawdown", ReportFormat.Percent(-m.MaxDrawdownPct), m.MaxDrawdownPct > 0 ? "neg" : "");
        yield return ("Max drawdown duration", ReportFormat.Duration(m.MaxDrawdownDurationMs), "");
        yield return ("Avg drawdown", ReportFormat.Percent(-m.AvgDrawdownPct), "");
        yield return ("Volatility (ann.)", ReportFormat.Percent(m.VolatilityPct), "");
        yield return ("Sharpe", ReportFormat.Number(m.Sharpe, 2), Tone(m.Sharpe));
        yield return ("Sortino", ReportFormat.Number(m.Sortino, 2), Tone(m.Sortino));
        yield return ("Calmar", ReportFormat.Number(m.Calmar, 2), Tone(m.Calmar));
        yield return ("Trades", m.OpenTrades > 0 ? $"{m.Trades} closed + {m.OpenTrades} open" : ReportFormat.Number(m.Trades, 0), "");
        yield return ("Win rate", ReportFormat.Percent(m.WinRatePct, 1), "");
        yield return ("Profit factor", ReportFormat.Number(m.ProfitFactor, 2), m.ProfitFactor > 1 ? "pos" : m.ProfitFactor < 1 && m.Trades > 0 ? "neg" : "");
        yield return ("Expectancy", ReportFormat.Number(m.Expectancy, 2), Tone(m.Expectancy));
        yield return ("Avg trade", ReportFormat.Percent(m.AvgTradePct), Tone(m.AvgTradePct));
        yield return ("Best trade", ReportFormat.Percent(m.BestTradePct), Tone(m.BestTradePct));
        yield return ("Worst trade", ReportFormat.Percent(m.WorstTradePct), Tone(m.WorstTradePct));
        yield return ("Avg trade duration", ReportFormat.Duration(m.AvgTradeDurationMs), "");
        yield return ("Max trade duration", ReportFormat.Duration(m.MaxTradeDurationMs), "");
        yield return ("Exposure", ReportFormat.Percent(m.ExposurePct, 1), "");
        yield return ("Fees paid", ReportFormat.Number(m.Fees, 2), "");
        yield return ("Rejected orders", ReportFormat.Number(r.RejectedOrders.Count, 0), "");
        yield return ("Order list hash", r.OrderListHash.Length > 16 ? r.OrderListHash[..16] : r.OrderListHash, "");
    }

    private static void Column(Utf8JsonWriter w, string name, ReadOnlySpan<Candle> candles, Func<Candle, double> field)
    {
        w.WriteStartArray(name);
        foreach (ref readonly var c in candles)
        {
            ReportFormat.WriteNumber(w, field(c));
        }

        w.WriteEndArray();
    }

    private static void Rounded(Utf8JsonWriter w, string name, double[] values, int decimals)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            ReportFormat.WriteNumber(w, Math.Round(v, decimals));
        }

        w.WriteEndArray();
    }
}
