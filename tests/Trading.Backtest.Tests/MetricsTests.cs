using Trading.Backtest.Metrics;
using Trading.Backtest.Results;

namespace Trading.Backtest.Tests;

/// <summary>
/// Metrics against values worked out by hand on a tiny curve: cash 100, then closes at 110, 99, 121, 110 (hourly).
/// Returns: +1/10, −1/10, +2/9, −1/11. Peak 110 at t1 → 99 (−10 %) → recovers at t3 (121) → 110 (−1/11, not recovered).
/// </summary>
public sealed class MetricsTests
{
    private const long H = 3_600_000;
    private static readonly double[] Returns = [0.1, -0.1, 2.0 / 9, -1.0 / 11];

    private static EquityStatistics Curve()
    {
        var s = new EquityStatistics(100, 0);
        s.Add(1 * H, 110, exposed: true);
        s.Add(2 * H, 99, exposed: true);
        s.Add(3 * H, 121, exposed: false);
        s.Add(4 * H, 110, exposed: false);
        return s;
    }

    [Fact]
    public void Mean_and_standard_deviation_of_returns()
    {
        var s = Curve();
        var mean = 13.0 / 396; // (1/10 − 1/10 + 2/9 − 1/11) / 4
        var variance = Returns.Sum(r => (r - mean) * (r - mean)) / 3;
        Assert.Equal(mean, s.MeanReturn, 15);
        Assert.Equal(Math.Sqrt(variance), s.ReturnStdDev, 15);
        Assert.Equal(Math.Sqrt((0.01 + (1.0 / 121)) / 4), s.DownsideDeviation, 15);
    }

    [Fact]
    public void Drawdown_depth_duration_and_average()
    {
        var s = Curve();
        Assert.Equal(0.1, s.MaxDrawdown, 15);
        Assert.Equal(2 * H, s.LongestDrawdownMs);               // peak at t1, recovered at t3
        Assert.Equal((0.1 + (1.0 / 11)) / 2, s.AverageDrawdown, 15); // two episodes, the last still open
        Assert.Equal(121, s.Peak);
        Assert.Equal(2, s.ExposedCount);
    }

    [Fact]
    public void An_unrecovered_drawdown_lasts_until_the_last_point()
    {
        var s = new EquityStatistics(100, 0);
        s.Add(1 * H, 90, false);
        s.Add(2 * H, 95, false);
        s.Add(3 * H, 80, false);
        Assert.Equal(0.2, s.MaxDrawdown, 15);
        Assert.Equal(3 * H, s.LongestDrawdownMs);
    }

    [Fact]
    public void Sharpe_sortino_volatility_are_annualised_by_the_candle_interval()
    {
        var s = Curve();
        var m = MetricsCalculator.Compute(s, [], 0, 100, 110, 0, 0, 4 * H, H, 100, 110);
        var sqrtP = Math.Sqrt(365 * 24);
        Assert.Equal(s.MeanReturn / s.ReturnStdDev * sqrtP, m.Sharpe, 12);
        Assert.Equal(s.MeanReturn / s.DownsideDeviation * sqrtP, m.Sortino, 12);
        Assert.Equal(s.ReturnStdDev * sqrtP * 100, m.VolatilityPct, 12);
        Assert.Equal(10, m.TotalReturnPct, 12);
        Assert.Equal(10, m.BuyHoldReturnPct, 12);
        Assert.Equal(10, m.MaxDrawdownPct, 12);
        Assert.Equal(50, m.ExposurePct, 12);
        Assert.Equal(121, m.EquityPeak);
    }

    [Fact]
    public void Cagr_and_calmar_over_calendar_time()
    {
        var s = Curve();

        // Exactly one 365-day year from 100 to 110: CAGR = 10 %. Two years: √1.1 − 1.
        var oneYear = MetricsCalculator.Compute(s, [], 0, 100, 110, 0, 0, MetricsCalculator.YearMs, H, 100, 110);
        Assert.Equal(10, oneYear.CagrPct, 10);
        Assert.Equal(10.0 / 10.0, oneYear.Calmar, 10); // CAGR 10 % / max drawdown 10 %
        var twoYears = MetricsCalculator.Compute(s, [], 0, 100, 110, 0, 0, 2 * MetricsCalculator.YearMs, H, 100, 110);
        Assert.Equal((Math.Sqrt(1.1) - 1) * 100, twoYears.CagrPct, 10);
    }

    [Fact]
    public void Trade_statistics_profit_factor_win_rate_expectancy()
    {
        TradeRecord T(decimal pnl, double ret, long entry, long exit) =>
            new(TradeSide.Long, entry, exit, 1, 100, 100, pnl, ret, 0, "signal");
        var trades = new[] { T(30, 3, 0, 2 * H), T(-10, -1, 3 * H, 4 * H), T(20, 2, 5 * H, 9 * H), T(-5, -0.5, 10 * H, 11 * H) };
        var m = MetricsCalculator.Compute(Curve(), trades, 0, 100, 135, 0, 0, 12 * H, H, 100, 110);

        Assert.Equal(4, m.Trades);
        Assert.Equal(50, m.WinRatePct);
        Assert.Equal(50.0 / 15, m.ProfitFactor, 12); // (30 + 20) / (10 + 5)
        Assert.Equal(8.75, m.Expectancy, 12);        // 35 / 4
        Assert.Equal(3, m.BestTradePct);
        Assert.Equal(-1, m.WorstTradePct);
        Assert.Equal(0.875, m.AvgTradePct, 12);      // (3 − 1 + 2 − 0.5) / 4
        Assert.Equal(2 * H, m.AvgTradeDurationMs);   // (2 + 1 + 4 + 1) / 4 hours
        Assert.Equal(4 * H, m.MaxTradeDurationMs);
    }

    [Fact]
    public void Profit_factor_without_losses_is_infinite_and_without_trades_zero()
    {
        var win = new TradeRecord(TradeSide.Long, 0, H, 1, 100, 110, 10, 10, 0, "signal");
        Assert.Equal(double.PositiveInfinity, MetricsCalculator.Compute(Curve(), [win], 0, 100, 110, 0, 0, H, H, 100, 110).ProfitFactor);
        Assert.Equal(0, MetricsCalculator.Compute(Curve(), [], 0, 100, 110, 0, 0, H, H, 100, 110).ProfitFactor);
    }

    [Fact]
    public void The_downside_sum_is_bit_for_bit_the_branching_one_over_a_random_curve()
    {
        // Rises, falls, flat stretches (r = +0), and a NaN return (equity 0 after 0), which the downside sum skips.
        var rng = new Random(7);
        var s = new EquityStatistics(100, 0);
        double previous = 100, down = 0;
        var n = 0;
        for (var i = 1; i <= 5000; i++)
        {
            var e = i is 2500 or 2501 ? 0 : i % 7 == 0 ? previous : previous * (1 + ((rng.NextDouble() - 0.5) * 0.02));
            e = e == 0 && i > 2501 ? 100 : e;
            var r = (e / previous) - 1;
            if (r < 0)
            {
                down += r * r;
            }

            previous = e;
            n++;
            s.Add(i * H, e, exposed: i % 3 == 0);
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Sqrt(down / n)), BitConverter.DoubleToInt64Bits(s.DownsideDeviation));
        Assert.Equal(5000 / 3, s.ExposedCount);
    }
}
