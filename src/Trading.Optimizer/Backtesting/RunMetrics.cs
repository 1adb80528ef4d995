using Trading.Backtest.Metrics;

namespace Trading.Optimizer.Backtesting;

/// <summary>What the optimizer keeps of one backtest: its metrics and the fingerprint of its orders (the curves are not recorded in a sweep).</summary>
public sealed record RunMetrics(BacktestMetrics Metrics, string OrderListHash, int Fills, int RejectedOrders);
