using Trading.Backtest.Metrics;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Results;

/// <summary>
/// Everything one backtest produced. The curves (<see cref="Times"/>, <see cref="Equity"/>, <see cref="Cash"/>,
/// <see cref="PositionQuantity"/>) hold one point per candle, at its close, or are empty when the run did not record them.
/// </summary>
public sealed class BacktestResult
{
    private readonly decimal? _finalPosition;
    private readonly decimal? _finalCash;

    public string Strategy { get; init; } = "";
    public ParameterSet Parameters { get; init; } = ParameterSet.Empty;
    public required BacktestMetrics Metrics { get; init; }

    /// <summary>Closed trades in exit order, then the open trade (if any) marked to the last close.</summary>
    public required IReadOnlyList<TradeRecord> Trades { get; init; }

    public required IReadOnlyList<Fill> Fills { get; init; }

    /// <summary>How many fills the run made: <see cref="Fills"/>' count, also when the fills were not kept (<see cref="Engine.BacktestOptions.RecordFills"/>).</summary>
    public int FillCount { get; init; }

    /// <summary>Orders still working when the data ran out: reported, never filled.</summary>
    public required IReadOnlyList<OrderView> OpenOrders { get; init; }

    /// <summary>Orders refused, with the reason (also told to the strategy).</summary>
    public required IReadOnlyList<OrderView> RejectedOrders { get; init; }

    public required long[] Times { get; init; }
    public required double[] Equity { get; init; }
    public required double[] Cash { get; init; }
    public required double[] PositionQuantity { get; init; }

    public required string OrderListHash { get; init; }

    /// <summary>Exact final equity: cash plus the position at the last close.</summary>
    public required decimal FinalEquity { get; init; }

    /// <summary>
    /// The base asset held at the end, exact. Unless set (a run that did not start flat, such as <c>quant live</c>'s), the
    /// sum of the fills' position changes (a backtest starts flat); null when the fills were not kept.
    /// </summary>
    public decimal? FinalPosition
    {
        get => _finalPosition ?? (FillsKept ? Fills.Sum(static f => f.PositionChange) : null);
        init => _finalPosition = value;
    }

    /// <summary>
    /// The quote cash at the end, exact. Unless set, the initial cash plus the fills' cash changes; null when the fills
    /// were not kept.
    /// </summary>
    public decimal? FinalCash
    {
        get => _finalCash ?? (FillsKept ? (decimal)Metrics.InitialCash + Fills.Sum(static f => f.CashChange) : null);
        init => _finalCash = value;
    }

    private bool FillsKept => Fills.Count == FillCount;
}
