using System.Text.Json;
using Trading.Backtest.Report;

namespace Trading.Backtest.Tests.Report;

/// <summary>Heat-map aggregation, ranking and the optimization page, on rows small enough to check by hand.</summary>
public sealed class OptimizationReportTests
{
    private static readonly RunSummary S = new(1, 2, 3, 4, 50, 1.5);

    // (x, y, z) → objective. Cell (x=1, y=10) holds two rows (z = 0, 1); (1, 20) only a NaN row.
    private static OptimizationReport Report(bool higherIsBetter = true, string x = "x", string? y = "y") => new()
    {
        Title = "t",
        ParameterNames = ["x", "y", "z"],
        Objective = "sharpe",
        HigherIsBetter = higherIsBetter,
        HeatmapX = x,
        HeatmapY = y,
        Rows =
        [
            new([1, 10, 0], 1.0, S),
            new([1, 10, 1], 3.0, S),
            new([2, 10, 0], -1.0, S),
            new([1, 20, 0], double.NaN, S),
            new([2, 20, 1], 2.0, S),
        ],
    };

    [Fact]
    public void A_cell_shows_the_best_objective_of_its_rows_and_counts_them()
    {
        var g = HeatMapGrid.Build(Report());
        Assert.Equal(["1", "2"], g.XLabels);
        Assert.Equal(["10", "20"], g.YLabels);
        Assert.Equal([3.0, -1.0], g.Values[0]);          // y = 10: max(1, 3), −1
        Assert.Equal([null, 2.0], g.Values[1]);          // y = 20: only NaN at x = 1 → empty
        Assert.Equal([2, 1], g.Counts[0]);
        Assert.Equal([0, 1], g.Counts[1]);
    }

    [Fact]
    public void Lower_is_better_keeps_the_lowest()
    {
        var g = HeatMapGrid.Build(Report(higherIsBetter: false));
        Assert.Equal([1.0, -1.0], g.Values[0]);
    }

    [Fact]
    public void One_parameter_gives_a_single_row_strip()
    {
        var g = HeatMapGrid.Build(Report(x: "z", y: null));
        Assert.Equal(["0", "1"], g.XLabels);
        Assert.Single(g.YLabels);
        Assert.Equal([1.0, 3.0], g.Values[0]);           // z = 0: max(1, −1); z = 1: max(3, 2)
        Assert.Equal([2, 2], g.Counts[0]);
    }

    [Fact]
    public void Many_distinct_values_are_binned_into_equal_widths()
    {
        var rows = Enumerable.Range(0, 60).Select(i => new OptimizationRow([i, 1], i, S)).ToList();
        var g = HeatMapGrid.Build(new OptimizationReport { Title = "t", ParameterNames = ["a", "b"], Objective = "o", HeatmapX = "a", HeatmapY = "b", Rows = rows });
        Assert.Equal(HeatMapGrid.MaxCells, g.XLabels.Count);
        Assert.Equal("0.59", g.XLabels[0]);              // width 59 / 50 = 1.18, centre of bin 0
        Assert.Equal(60, g.Counts[0].Sum());
        Assert.Equal(2, g.Counts[0][0]);                 // 0 and 1 (< 1.18)
        Assert.Equal(59.0, g.Values[0][49]);             // the maximum lands in the last bin, best = 59
    }

    [Fact]
    public void Unknown_or_repeated_heat_map_parameters_are_refused_with_the_choices()
    {
        var ex = Assert.Throws<ArgumentException>(() => HeatMapGrid.Build(Report(x: "fast")));
        Assert.Contains("heat map x parameter 'fast' is not one of the parameters (x, y, z)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => HeatMapGrid.Build(Report(x: "y", y: "y")));
    }

    [Fact]
    public void Ranking_puts_the_best_first_and_non_finite_last()
    {
        Assert.Equal([3.0, 2.0, 1.0, -1.0, double.NaN], OptimizationReportJson.Rank(Report()).Select(r => r.Objective));
        Assert.Equal([-1.0, 1.0, 2.0, 3.0, double.NaN], OptimizationReportJson.Rank(Report(higherIsBetter: false)).Select(r => r.Objective));
    }

    [Fact]
    public void Page_data_holds_the_grid_the_top_rows_and_the_walk_forward()
    {
        var report = Report() with
        {
            TopCount = 2,
            WalkForward = [new WalkForwardWindow(0, 10 * 3_600_000L, 10 * 3_600_000L, 15 * 3_600_000L, [1, 10, 1], 3.0, -0.5, S, S)],
        };
        var html = HtmlReport.RenderOptimization(report);
        Assert.DoesNotMatch(BacktestReportTests.ExternalReference(), html);
        var root = BacktestReportTests.DataIsland(html);
        Assert.Equal(5, root.GetProperty("rows").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("heatmap").GetProperty("values")[1][0].ValueKind);
        var top = root.GetProperty("top");
        Assert.Equal(2, top.GetArrayLength());
        Assert.Equal(3.0, top[0].GetProperty("objective").GetDouble());
        Assert.Equal([1.0, 10, 1], top[0].GetProperty("params").EnumerateArray().Select(e => e.GetDouble()));
        var wf = root.GetProperty("walkForward")[0];
        Assert.Equal("1970-01-01 10:00", wf.GetProperty("oosStart").GetString());
        Assert.Equal(-0.5, wf.GetProperty("oosObjective").GetDouble());
        var kpis = root.GetProperty("kpis").EnumerateArray().ToDictionary(k => k.GetProperty("label").GetString()!, k => k.GetProperty("value").GetString());
        Assert.Equal("x=1, y=10, z=1", kpis["Best parameters"]);
        Assert.Equal("-0.500", kpis["Mean OOS sharpe"]);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_values_is_refused()
    {
        var bad = Report() with { Rows = [new([1, 2], 1, S)] };
        var ex = Assert.Throws<ArgumentException>(() => HtmlReport.RenderOptimization(bad));
        Assert.Contains("row 0 has 2 parameter values for 3 parameters", ex.Message, StringComparison.Ordinal);
    }
}
