using System.Globalization;
using System.Text.Json;
using Trading.Backtest.Metrics;

namespace Trading.Backtest.Results;

/// <summary>
/// The summary as one JSON object with snake_case fields, in a fixed order (what <c>quant backtest --json</c> prints
/// and <c>summary.json</c> holds). Non-finite numbers (a profit factor with no losing trade) are written as null.
/// </summary>
public static class SummaryJson
{
    /// <param name="extra">Writes fields of the caller's after the summary's own (<c>quant live</c>'s run facts).</param>
    public static void Write(Utf8JsonWriter w, BacktestResult r, double? elapsedMs = null, Action<Utf8JsonWriter>? extra = null)
    {
        var m = r.Metrics;
        w.WriteStartObject();
        w.WriteString("strategy", r.Strategy);
        w.WriteStartObject("params");
        foreach (var (name, value) in r.Parameters.ToPairs())
        {
            w.WriteNumber(name, value);
        }

        w.WriteEndObject();
        WriteMetrics(w, m);
        w.WriteNumber("fills", r.Fills.Count);
        w.WriteNumber("rejected_orders", r.RejectedOrders.Count);
        w.WriteNumber("open_orders", r.OpenOrders.Count);
        w.WriteString("order_list_hash", r.OrderListHash);
        Exact(w, "final_position", r.FinalPosition);
        Exact(w, "final_cash", r.FinalCash);
        if (elapsedMs is { } ms)
        {
            Number(w, "elapsed_ms", Math.Round(ms, 3));
            Number(w, "candles_per_sec", ms > 0 ? Math.Round(m.Candles / (ms / 1000)) : 0);
        }

        extra?.Invoke(w);
        w.WriteEndObject();
    }

    /// <summary>The metric fields, start to fees, in the order every summary uses (the optimizer's rows too).</summary>
    public static void WriteMetrics(Utf8JsonWriter w, BacktestMetrics m)
    {
        w.WriteString("start", Iso(m.Start));
        w.WriteString("end", Iso(m.End));
        w.WriteNumber("interval_ms", m.IntervalMs);
        w.WriteNumber("candles", m.Candles);
        w.WriteNumber("warmup_candles", m.WarmUpCandles);
        w.WriteNumber("stats_candles", m.StatsCandles);
        w.WriteNumber("trades", m.Trades);
        w.WriteNumber("open_trades", m.OpenTrades);
        Number(w, "initial_cash", m.InitialCash);
        Number(w, "final_equity", m.FinalEquity);
        Number(w, "equity_peak", m.EquityPeak);
        Number(w, "total_return_pct", m.TotalReturnPct);
        Number(w, "cagr_pct", m.CagrPct);
        Number(w, "buy_hold_return_pct", m.BuyHoldReturnPct);
        Number(w, "volatility_pct", m.VolatilityPct);
        w.WriteString("returns", m.Returns == Engine.ReturnsBasis.Daily ? "daily" : "candle");
        Number(w, "sharpe", m.Sharpe);
        Number(w, "sortino", m.Sortino);
        Number(w, "calmar", m.Calmar);
        Number(w, "max_drawdown_pct", m.MaxDrawdownPct);
        w.WriteNumber("max_drawdown_duration_ms", m.MaxDrawdownDurationMs);
        Number(w, "avg_drawdown_pct", m.AvgDrawdownPct);
        Number(w, "win_rate_pct", m.WinRatePct);
        Number(w, "best_trade_pct", m.BestTradePct);
        Number(w, "worst_trade_pct", m.WorstTradePct);
        Number(w, "avg_trade_pct", m.AvgTradePct);
        Number(w, "profit_factor", m.ProfitFactor);
        Number(w, "expectancy", m.Expectancy);
        w.WriteNumber("avg_trade_duration_ms", m.AvgTradeDurationMs);
        w.WriteNumber("max_trade_duration_ms", m.MaxTradeDurationMs);
        Number(w, "exposure_pct", m.ExposurePct);
        Number(w, "fees", m.Fees);
    }

    /// <summary>The summary as an indented JSON string.</summary>
    public static string ToJson(BacktestResult r, double? elapsedMs = null, bool indented = false, Action<Utf8JsonWriter>? extra = null)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(w, r, elapsedMs, extra);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary><c>2024-01-05T13:00:00Z</c>.</summary>
    public static string Iso(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Exact(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
