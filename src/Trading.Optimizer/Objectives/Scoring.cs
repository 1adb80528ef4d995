using Trading.Backtest.Metrics;

namespace Trading.Optimizer.Objectives;

/// <summary>
/// Names, parsing and scoring of <see cref="Objective"/>. A score is "higher is better": the metric itself, except
/// max-drawdown, scored as its negation (a 5 % drawdown beats a 10 % one). Profit factor is +∞ for a run with gains
/// and no losing trade; it then ranks first, so pair it with <c>--min-trades</c>.
/// </summary>
public static class Scoring
{
    public static IReadOnlyList<string> Names { get; } = ["sharpe", "sortino", "calmar", "return", "profit-factor", "max-drawdown", "win-rate"];

    public static Objective Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "sharpe" => Objective.Sharpe,
        "sortino" => Objective.Sortino,
        "calmar" => Objective.Calmar,
        "return" => Objective.Return,
        "profit-factor" => Objective.ProfitFactor,
        "max-drawdown" => Objective.MaxDrawdown,
        "win-rate" => Objective.WinRate,
        _ => throw new OptimizerException($"--objective '{text}' is unknown (known: {string.Join(", ", Names)})"),
    };

    public static string Name(Objective o) => Names[(int)o];

    /// <summary>The metric as reported (max-drawdown positive, in %).</summary>
    public static double Value(Objective o, BacktestMetrics m) => o switch
    {
        Objective.Sharpe => m.Sharpe,
        Objective.Sortino => m.Sortino,
        Objective.Calmar => m.Calmar,
        Objective.Return => m.TotalReturnPct,
        Objective.ProfitFactor => m.ProfitFactor,
        Objective.MaxDrawdown => m.MaxDrawdownPct,
        _ => m.WinRatePct,
    };

    /// <summary>Higher is better.</summary>
    public static double Score(Objective o, BacktestMetrics m) => o == Objective.MaxDrawdown ? -m.MaxDrawdownPct : Value(o, m);

    /// <summary>The score, or null (discarded) when the run closed fewer than <paramref name="minTrades"/> trades.</summary>
    public static double? Score(Objective o, BacktestMetrics m, int minTrades) => m.Trades < minTrades ? null : Score(o, m);
}
