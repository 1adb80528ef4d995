using System.Globalization;
using System.Text.Json;

namespace Trading.Backtest.Report;

/// <summary>
/// The data island of an optimization report, read by Assets/optimization.js:
/// <code>
/// { title, subtitle, objective, higherIsBetter, params, rows, kpis: [{ label, value }],
///   heatmap: { x, y, xLabels, yLabels, values[y][x], counts[y][x] },
///   top: [{ rank, params, objective, ret, dd, sharpe, trades, win, pf }],
///   walkForward: [{ isStart, isEnd, oosStart, oosEnd, params, isObjective, oosObjective, isRet, oosRet, isDd, oosDd, isTrades, oosTrades }],
///   oosEquity: null | { initialCash, t (UTC seconds), v } }
/// </code>
/// Non-finite numbers are null.
/// </summary>
internal static class OptimizationReportJson
{
    public static byte[] Build(OptimizationReport report)
    {
        Validate(report);
        var grid = HeatMapGrid.Build(report);
        var ranked = Rank(report);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, ReportFormat.Json))
        {
            w.WriteStartObject();
            w.WriteString("title", report.Title);
            w.WriteString("subtitle", report.Subtitle);
            w.WriteString("objective", report.Objective);
            w.WriteBoolean("higherIsBetter", report.HigherIsBetter);
            w.WriteStartArray("params");
            foreach (var p in report.ParameterNames)
            {
                w.WriteStringValue(p);
            }

            w.WriteEndArray();
            w.WriteNumber("rows", report.Rows.Count);
            WriteKpis(w, report, ranked);

            w.WriteStartObject("heatmap");
            w.WriteString("x", report.HeatmapX);
            if (report.HeatmapY is { } y)
            {
                w.WriteString("y", y);
            }
            else
            {
                w.WriteNull("y");
            }

            Strings(w, "xLabels", grid.XLabels);
            Strings(w, "yLabels", grid.YLabels);
            w.WriteStartArray("values");
            foreach (var row in grid.Values)
            {
                w.WriteStartArray();
                foreach (var v in row)
                {
                    ReportFormat.WriteNumber(w, v ?? double.NaN);
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteStartArray("counts");
            foreach (var row in grid.Counts)
            {
                w.WriteStartArray();
                foreach (var c in row)
                {
                    w.WriteNumberValue(c);
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartArray("top");
            for (var k = 0; k < Math.Min(report.TopCount, ranked.Count); k++)
            {
                var r = ranked[k];
                w.WriteStartObject();
                w.WriteNumber("rank", k + 1);
                Numbers(w, "params", r.Parameters);
                ReportFormat.WriteNumber(w, "objective", r.Objective);
                Summary(w, "", r.Metrics);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartArray("walkForward");
            foreach (var win in report.WalkForward)
            {
                w.WriteStartObject();
                w.WriteString("isStart", ReportFormat.Time(win.InSampleStart));
                w.WriteString("isEnd", ReportFormat.Time(win.InSampleEnd));
                w.WriteString("oosStart", ReportFormat.Time(win.OutOfSampleStart));
                w.WriteString("oosEnd", ReportFormat.Time(win.OutOfSampleEnd));
                Numbers(w, "params", win.BestParameters);
                ReportFormat.WriteNumber(w, "isObjective", win.InSampleObjective);
                ReportFormat.WriteNumber(w, "oosObjective", win.OutOfSampleObjective);
                Summary(w, "is", win.InSample ?? Missing);
                Summary(w, "oos", win.OutOfSample ?? Missing);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteCurve(w, report.OutOfSampleEquity);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Rows best first (objective descending, or ascending when lower is better); non-finite objectives
    /// last; ties keep the caller's order, so the ranking is deterministic.</summary>
    internal static List<OptimizationRow> Rank(OptimizationReport report)
    {
        var sign = report.HigherIsBetter ? -1.0 : 1.0;
        return report.Rows
            .OrderBy(r => double.IsFinite(r.Objective) ? 0 : 1)
            .ThenBy(r => double.IsFinite(r.Objective) ? sign * r.Objective : 0)
            .ToList();
    }

    /// <summary>What a window with no winner shows: every figure n/a.</summary>
    private static readonly RunSummary Missing = new(double.NaN, double.NaN, double.NaN, 0, double.NaN, double.NaN);

    private static void WriteCurve(Utf8JsonWriter w, EquityCurve? curve)
    {
        if (curve is null || curve.Times.Count == 0)
        {
            w.WriteNull("oosEquity");
            return;
        }

        w.WriteStartObject("oosEquity");
        ReportFormat.WriteNumber(w, "initialCash", curve.InitialCash);
        w.WriteStartArray("t");
        foreach (var t in curve.Times)
        {
            w.WriteNumberValue(t / 1000);
        }

        w.WriteEndArray();
        w.WriteStartArray("v");
        foreach (var v in curve.Equity)
        {
            ReportFormat.WriteNumber(w, Math.Round(v, 2));
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Validate(OptimizationReport report)
    {
        var n = report.ParameterNames.Count;
        for (var i = 0; i < report.Rows.Count; i++)
        {
            if (report.Rows[i].Parameters.Count != n)
            {
                throw new ArgumentException($"optimization row {i} has {report.Rows[i].Parameters.Count} parameter values for {n} parameters", nameof(report));
            }
        }

        if (report.OutOfSampleEquity is { } c)
        {
            if (c.Times.Count != c.Equity.Count)
            {
                throw new ArgumentException($"out-of-sample equity has {c.Times.Count} times for {c.Equity.Count} values", nameof(report));
            }

            for (var i = 1; i < c.Times.Count; i++)
            {
                if (c.Times[i] <= c.Times[i - 1])
                {
                    throw new ArgumentException($"out-of-sample equity times must increase; point {i} does not", nameof(report));
                }
            }
        }
    }

    private static void WriteKpis(Utf8JsonWriter w, OptimizationReport report, List<OptimizationRow> ranked)
    {
        // A walk-forward report has no rows (only each window's winner): its run count is in the subtitle.
        var kpis = new List<(string, string)>();
        if (report.Rows.Count > 0)
        {
            kpis.Add(("Runs", report.Rows.Count.ToString(CultureInfo.InvariantCulture)));
        }

        if (ranked.Count > 0 && double.IsFinite(ranked[0].Objective))
        {
            kpis.Add(("Best " + report.Objective, ReportFormat.Number(ranked[0].Objective, 3)));
            kpis.Add(("Best parameters", string.Join(", ", report.ParameterNames.Select((p, i) => p + "=" + ranked[0].Parameters[i].ToString("0.####", CultureInfo.InvariantCulture)))));
        }

        if (report.WalkForward.Count > 0)
        {
            kpis.Add(("Walk-forward windows", report.WalkForward.Count.ToString(CultureInfo.InvariantCulture)));
            kpis.Add(("Mean IS " + report.Objective, ReportFormat.Number(Mean(report.WalkForward.Select(x => x.InSampleObjective)), 3)));
            kpis.Add(("Mean OOS " + report.Objective, ReportFormat.Number(Mean(report.WalkForward.Select(x => x.OutOfSampleObjective)), 3)));
        }

        w.WriteStartArray("kpis");
        foreach (var (label, value) in kpis)
        {
            w.WriteStartObject();
            w.WriteString("label", label);
            w.WriteString("value", value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Mean of the finite values (NaN when there are none).</summary>
    internal static double Mean(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? double.NaN : finite.Average();
    }

    private static void Summary(Utf8JsonWriter w, string prefix, RunSummary s)
    {
        string Name(string n) => prefix.Length == 0 ? n : prefix + char.ToUpperInvariant(n[0]) + n[1..];
        ReportFormat.WriteNumber(w, Name("ret"), s.TotalReturnPct);
        ReportFormat.WriteNumber(w, Name("dd"), s.MaxDrawdownPct);
        ReportFormat.WriteNumber(w, Name("sharpe"), s.Sharpe);
        w.WriteNumber(Name("trades"), s.Trades);
        ReportFormat.WriteNumber(w, Name("win"), s.WinRatePct);
        ReportFormat.WriteNumber(w, Name("pf"), s.ProfitFactor);
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void Numbers(Utf8JsonWriter w, string name, IReadOnlyList<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            ReportFormat.WriteNumber(w, v);
        }

        w.WriteEndArray();
    }
}
