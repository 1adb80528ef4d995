using System.Globalization;

namespace Trading.Backtest.Report;

/// <summary>
/// The objective over two parameters. Each axis holds the parameter's distinct values, sorted ascending; with more
/// than <see cref="MaxCells"/> distinct values (a random search) it holds that many equal-width bins instead. When
/// the space has other parameters, several rows fall into one cell: the cell shows the BEST objective among them
/// (max, or min when lower is better), i.e. the best you can reach at that (x, y) by tuning the rest, and counts them.
/// Rows with a non-finite objective are left out; a cell no row reached is null.
/// </summary>
internal sealed class HeatMapGrid
{
    public const int MaxCells = 50;

    public required IReadOnlyList<string> XLabels { get; init; }
    public required IReadOnlyList<string> YLabels { get; init; }

    /// <summary>Values[y][x]: the best objective in the cell, or null.</summary>
    public required double?[][] Values { get; init; }

    /// <summary>Counts[y][x]: how many rows fell into the cell.</summary>
    public required int[][] Counts { get; init; }

    public static HeatMapGrid Build(OptimizationReport report)
    {
        var xi = IndexOf(report, report.HeatmapX, "x");
        var yi = report.HeatmapY is { } y ? IndexOf(report, y, "y") : -1;
        if (xi == yi)
        {
            throw new ArgumentException($"the heat map needs two different parameters, got '{report.HeatmapX}' twice", nameof(report));
        }

        var rows = report.Rows.Where(r => double.IsFinite(r.Objective)).ToList();
        var xAxis = Axis.Of(rows.Select(r => r.Parameters[xi]));
        var yAxis = yi < 0 ? Axis.Single : Axis.Of(rows.Select(r => r.Parameters[yi]));
        var values = new double?[yAxis.Labels.Count][];
        var counts = new int[yAxis.Labels.Count][];
        for (var j = 0; j < values.Length; j++)
        {
            values[j] = new double?[xAxis.Labels.Count];
            counts[j] = new int[xAxis.Labels.Count];
        }

        foreach (var r in rows)
        {
            var cx = xAxis.Cell(r.Parameters[xi]);
            var cy = yi < 0 ? 0 : yAxis.Cell(r.Parameters[yi]);
            counts[cy][cx]++;
            if (values[cy][cx] is not { } v || (report.HigherIsBetter ? r.Objective > v : r.Objective < v))
            {
                values[cy][cx] = r.Objective;
            }
        }

        return new HeatMapGrid { XLabels = xAxis.Labels, YLabels = yAxis.Labels, Values = values, Counts = counts };
    }

    private static int IndexOf(OptimizationReport report, string name, string axis)
    {
        for (var i = 0; i < report.ParameterNames.Count; i++)
        {
            if (string.Equals(report.ParameterNames[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException(
            $"heat map {axis} parameter '{name}' is not one of the parameters ({string.Join(", ", report.ParameterNames)})", nameof(report));
    }

    /// <summary>An axis: either the distinct values (exact match) or equal-width bins over [min, max].</summary>
    private sealed class Axis
    {
        private double[] _distinct = [];
        private double _min, _width;

        public static Axis Single { get; } = new() { Labels = ["—"], IsSingle = true };

        public required IReadOnlyList<string> Labels { get; init; }

        private bool IsSingle { get; init; }

        private bool Binned { get; init; }

        public static Axis Of(IEnumerable<double> values)
        {
            var distinct = values.Distinct().Order().ToArray();
            if (distinct.Length <= MaxCells)
            {
                return new Axis { Labels = distinct.Select(Label).ToArray(), _distinct = distinct };
            }

            double min = distinct[0], width = (distinct[^1] - min) / MaxCells;
            var labels = Enumerable.Range(0, MaxCells).Select(b => Label(min + ((b + 0.5) * width))).ToArray();
            return new Axis { Labels = labels, Binned = true, _min = min, _width = width };
        }

        public int Cell(double value)
        {
            if (IsSingle)
            {
                return 0;
            }

            return Binned
                ? Math.Clamp((int)((value - _min) / _width), 0, MaxCells - 1)
                : Array.BinarySearch(_distinct, value);
        }

        private static string Label(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
    }
}
