namespace Trading.Backtest.Report;

/// <summary>
/// What the optimization report shows, independent of the optimizer (which depends on this assembly, not the other
/// way round): the caller maps its results into this model. Parameter values in every row follow
/// <see cref="ParameterNames"/>' order.
/// </summary>
public sealed record OptimizationReport
{
    /// <summary>Heading, e.g. <c>sma-cross on BTCUSDT 1h</c>.</summary>
    public required string Title { get; init; }

    /// <summary>A line under the heading: search kind, run count, time taken, data range.</summary>
    public string Subtitle { get; init; } = "";

    public required IReadOnlyList<string> ParameterNames { get; init; }

    /// <summary>Name of the objective ranked on, e.g. <c>sharpe</c>.</summary>
    public required string Objective { get; init; }

    /// <summary>False for objectives to minimise (max drawdown): the heat map then keeps the lowest value per cell and colours low as good.</summary>
    public bool HigherIsBetter { get; init; } = true;

    /// <summary>Every evaluated parameter set, in any order; the report ranks them itself. May be empty (a walk-forward
    /// keeps only each window's winner): the heat map and top table then say so.</summary>
    public required IReadOnlyList<OptimizationRow> Rows { get; init; }

    /// <summary>The heat map's x parameter (<c>--heatmap x,y</c>); must be one of <see cref="ParameterNames"/>.</summary>
    public required string HeatmapX { get; init; }

    /// <summary>The heat map's y parameter, or null for a single-row strip (one-parameter spaces).</summary>
    public string? HeatmapY { get; init; }

    /// <summary>How many of the best rows the top-results table lists.</summary>
    public int TopCount { get; init; } = 25;

    /// <summary>Walk-forward windows in time order; empty when the run was a plain search.</summary>
    public IReadOnlyList<WalkForwardWindow> WalkForward { get; init; } = [];

    /// <summary>Walk-forward: the out-of-sample segments chained into one curve (drawn against the initial cash), or null.</summary>
    public EquityCurve? OutOfSampleEquity { get; init; }
}
