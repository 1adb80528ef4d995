namespace Trading.Backtest.Report;

/// <summary>An equity curve: <paramref name="Times"/> (UTC ms, strictly increasing) and the equity at each.</summary>
public sealed record EquityCurve(IReadOnlyList<long> Times, IReadOnlyList<double> Equity, double InitialCash);
