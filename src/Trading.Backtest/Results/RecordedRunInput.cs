using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Results;

/// <summary>What a recorded run hands over. <see cref="Fills"/> carry the fee as booked (a base-asset fee with
/// <see cref="Fill.FeeInBase"/>) and the order's tag, the trade's exit reason ("signal" when null).</summary>
public sealed record RecordedRunInput
{
    public required string Strategy { get; init; }
    public ParameterSet Parameters { get; init; } = ParameterSet.Empty;
    public required decimal LotStep { get; init; }
    public required long IntervalMs { get; init; }

    /// <summary>The equity the statistics start from (the run's starting equity).</summary>
    public required decimal InitialCash { get; init; }
    public required IReadOnlyList<(Fill Fill, string? Reason)> Fills { get; init; }

    /// <summary>The equity at each candle close, oldest first.</summary>
    public required IReadOnlyList<EquityPoint> Curve { get; init; }

    /// <summary>Points at the start of the curve left out of the statistics, as a backtest leaves out its warm-up
    /// candles: those the strategy still needed to warm up on (its declared warm-up less the history it was given).</summary>
    public int WarmUpCandles { get; init; }

    /// <summary>The last candle's close (buy &amp; hold); 0 when there was none.</summary>
    public double LastClose { get; init; }

    /// <summary>The price the open trade (if any) is marked at.</summary>
    public required decimal LastMark { get; init; }

    /// <summary>When the run ended (UTC ms): the curve's end when it has no point.</summary>
    public long EndTime { get; init; }
    public required decimal FinalEquity { get; init; }
    public required decimal FinalCash { get; init; }
    public required decimal FinalPosition { get; init; }

    /// <summary>Fees in the quote asset's terms.</summary>
    public required decimal Fees { get; init; }
    public IReadOnlyList<OrderView> OpenOrders { get; init; } = [];
    public IReadOnlyList<OrderView> RejectedOrders { get; init; } = [];
}
