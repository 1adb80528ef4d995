using Trading.Backtest.Metrics;
using Trading.Backtest.Results;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Tests.Report;

/// <summary>
/// A five-candle hourly result built by hand, so every report series can be checked by arithmetic:
/// first open 100, closes 100, 110, 99, 121, 110; equity 1000, 1100, 990, 1210, 1100 on 1000 initial cash.
/// Trades: a closed long (entry at candle 1's open, exit at candle 3's open) and an open short entered at the
/// close of candle 3 (= candle 4's open time).
/// </summary>
internal static class HandMadeResult
{
    public const long H = 3_600_000;
    public const long T0 = 1_704_067_200_000; // 2024-01-01T00:00Z

    public static readonly double[] Closes = [100, 110, 99, 121, 110];

    public static Candle[] Candles { get; } = Closes
        .Select((c, i) => new Candle(T0 + (i * H), i == 0 ? 100 : Closes[i - 1], Math.Max(c, i == 0 ? 100 : Closes[i - 1]) + 1, Math.Min(c, i == 0 ? 100 : Closes[i - 1]) - 1, c, 10))
        .ToArray();

    public static BacktestResult Build(string strategy = "hand-made", IReadOnlyList<TradeRecord>? trades = null) => new()
    {
        Strategy = strategy,
        Parameters = ParameterSet.From(("fast", 2), ("slow", 3)),
        Metrics = new BacktestMetrics
        {
            Start = T0, End = T0 + (5 * H), Candles = 5, Trades = 1, OpenTrades = 1, InitialCash = 1000, FinalEquity = 1100,
            EquityPeak = 1210, TotalReturnPct = 10, BuyHoldReturnPct = 10, MaxDrawdownPct = 10, ProfitFactor = double.PositiveInfinity,
            IntervalMs = H,
        },
        Trades = trades ??
        [
            new TradeRecord(TradeSide.Long, T0 + H, T0 + (3 * H), 10m, 100m, 99m, -10m, -1, 0m, "signal"),
            new TradeRecord(TradeSide.Short, T0 + (4 * H), null, 5m, 121m, 110m, 55m, 9.09, 0m, ""),
        ],
        Fills = Array.Empty<Fill>(),
        OpenOrders = Array.Empty<OrderView>(),
        RejectedOrders = Array.Empty<OrderView>(),
        Times = Enumerable.Range(1, 5).Select(i => T0 + (i * H)).ToArray(),
        Equity = [1000, 1100, 990, 1210, 1100],
        Cash = [1000, 1000, 1000, 1000, 1000],
        PositionQuantity = [0, 0, 0, 0, 0],
        OrderListHash = "0123456789abcdef0123456789abcdef",
        FinalEquity = 1100m,
    };
}
