using System.Text.Json;
using Trading.Backtest.Results;
using Trading.Core.Strategies;
using Trading.Optimizer.Backtesting;
using Trading.Optimizer.Running;
using Trading.Optimizer.WalkForward;

namespace Trading.Optimizer.Output;

/// <summary>
/// The JSON <c>quant optimize --json</c> prints: snake_case, fixed field order, non-finite numbers as null. A row is
/// <c>{rank, index, score, params{…}, metrics{…, order_list_hash}}</c>; metrics use the same names as
/// <c>quant backtest --json</c>, so the best row can be compared with a re-run field by field.
/// </summary>
public static class OptimizeJson
{
    public static void WriteRow(Utf8JsonWriter w, Trial<RunMetrics> t, int rank)
    {
        w.WriteStartObject();
        w.WriteNumber("rank", rank);
        w.WriteNumber("index", t.Index);
        Number(w, "score", t.Score);
        WriteParams(w, t.Parameters);
        w.WritePropertyName("metrics");
        WriteMetrics(w, t.Result);
        w.WriteEndObject();
    }

    public static void WriteParams(Utf8JsonWriter w, ParameterSet p)
    {
        w.WriteStartObject("params");
        foreach (var (name, value) in p.ToPairs())
        {
            w.WriteNumber(name, value);
        }

        w.WriteEndObject();
    }

    public static void WriteMetrics(Utf8JsonWriter w, RunMetrics r)
    {
        var m = r.Metrics;
        w.WriteStartObject();
        SummaryJson.WriteMetrics(w, m);
        w.WriteNumber("fills", r.Fills);
        w.WriteNumber("rejected_orders", r.RejectedOrders);
        w.WriteString("order_list_hash", r.OrderListHash);
        w.WriteEndObject();
    }

    /// <summary>The walk-forward section: per-window in/out-of-sample figures, the stitched result and the ratio.</summary>
    public static void WriteWalkForward(Utf8JsonWriter w, WalkForwardReport report)
    {
        w.WriteStartObject("walk_forward");
        w.WriteNumber("windows", report.Windows.Count);
        Number(w, "stitched_oos_return_pct", report.StitchedReturnPct);
        Number(w, "overfitting_ratio", report.OverfittingRatio);
        w.WriteStartArray("per_window");
        foreach (var r in report.Windows)
        {
            w.WriteStartObject();
            w.WriteNumber("window", r.Window.Index);
            w.WriteNumber("runs", r.Runs);
            w.WriteNumber("train_start", r.Window.TrainStart);
            w.WriteNumber("train_candles", r.Window.TrainLength);
            w.WriteNumber("test_start", r.Window.TestStart);
            w.WriteNumber("test_candles", r.Window.TestLength);
            if (r.Best is not null)
            {
                WriteParams(w, r.Best);
                Number(w, "is_value", r.InSampleValue);
                Number(w, "oos_value", r.OutOfSampleValue);
                Number(w, "ratio", r.Ratio);
                w.WritePropertyName("in_sample");
                WriteMetrics(w, r.InSample!);
                w.WritePropertyName("out_of_sample");
                WriteMetrics(w, new RunMetrics(r.OutOfSample!, r.OutOfSampleOrderListHash!, 0, 0));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("stitched_equity");
        for (var i = 0; i < report.StitchedEquity.Length; i++)
        {
            w.WriteStartArray();
            w.WriteNumberValue(report.StitchedTimes[i]);
            w.WriteNumberValue(Math.Round(report.StitchedEquity[i], 6));
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
