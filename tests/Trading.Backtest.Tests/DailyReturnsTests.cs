using Trading.Backtest.Engine;
using Trading.Backtest.Metrics;
using Trading.Core.Orders;

namespace Trading.Backtest.Tests;

/// <summary>
/// Sharpe and Sortino on daily returns. A curve of 12-hour points from 100 at midnight: 105, 110 | 99, 88 | 105.6.
/// The days close (at midnight) at 110 and 88, and the last, partial day at 105.6: daily returns +10 %, −20 %, +20 %.
/// </summary>
public sealed class DailyReturnsTests
{
    private const long H = 3_600_000;
    private const long Day = 24 * H;
    private static readonly double[] Days = [0.1, -0.2, 0.2];

    private static EquityStatistics Curve()
    {
        var s = new EquityStatistics(100, 0);
        s.Add(12 * H, 105, true);
        s.Add(24 * H, 110, true); // stamped at midnight: closes day 1
        s.Add(36 * H, 99, true);
        s.Add(48 * H, 88, true);
        s.Add(60 * H, 105.6, true);
        return s;
    }

    [Fact]
    public void The_curve_is_resampled_to_utc_days_the_last_partial_day_included()
    {
        var (mean, std, downside) = Curve().DailyMoments();
        var expectedMean = 0.1 / 3;
        Assert.Equal(expectedMean, mean, 15);
        Assert.Equal(Math.Sqrt(Days.Sum(d => (d - expectedMean) * (d - expectedMean)) / 2), std, 15);
        Assert.Equal(Math.Sqrt(0.04 / 3), downside, 15);
        Assert.Equal(3, Curve().DayCount);
    }

    [Fact]
    public void A_day_without_points_counts_as_a_zero_return()
    {
        var s = new EquityStatistics(100, 0);
        s.Add(24 * H, 110, false);
        s.Add(72 * H, 121, false); // day 2 has no point: 110 → 110, then day 3: 110 → 121
        Assert.Equal(3, s.DayCount);
        Assert.Equal((0.1 + 0 + 0.1) / 3, s.DailyMoments().Mean, 15);
    }

    [Fact]
    public void Daily_sharpe_and_sortino_are_annualised_with_root_365()
    {
        var m = MetricsCalculator.Compute(Curve(), [], 0, 100, 105.6, 0, 0, 60 * H, 12 * H, 100, 105.6, ReturnsBasis.Daily);
        var mean = 0.1 / 3;
        var std = Math.Sqrt(Days.Sum(d => (d - mean) * (d - mean)) / 2);
        Assert.Equal(mean / std * Math.Sqrt(365), m.Sharpe, 12);
        Assert.Equal(mean / Math.Sqrt(0.04 / 3) * Math.Sqrt(365), m.Sortino, 12);
        Assert.Equal(ReturnsBasis.Daily, m.Returns);

        // Volatility stays per candle (12-hour candles: √730 periods).
        var perCandle = MetricsCalculator.Compute(Curve(), [], 0, 100, 105.6, 0, 0, 60 * H, 12 * H, 100, 105.6);
        Assert.Equal(perCandle.VolatilityPct, m.VolatilityPct);
        Assert.NotEqual(perCandle.Sharpe, m.Sharpe);
    }

    [Fact]
    public void The_engine_reports_daily_figures_when_asked_and_says_so_in_the_summary()
    {
        var d = Trading.Core.Strategies.StrategyRegistry.CreateDefault().Get("sma-cross");
        var daily = BacktestEngine.Run(SampleData.Candles, d, Trading.Core.Strategies.ParameterSet.Empty, new BacktestOptions { Returns = ReturnsBasis.Daily });
        var json = Results.SummaryJson.ToJson(daily);
        Assert.Contains("\"returns\":\"daily\"", json);
        Assert.Equal(ReturnsBasis.Daily, daily.Metrics.Returns);

        // Recompute from the recorded curve: the equity at the last point of each UTC day, after the warm-up.
        var from = daily.Metrics.WarmUpCandles;
        var closes = new List<double> { 10_000 };
        for (var i = from; i < daily.Times.Length; i++)
        {
            if (i == daily.Times.Length - 1 || EquityStatistics.ClosingMidnight(daily.Times[i]) != EquityStatistics.ClosingMidnight(daily.Times[i + 1]))
            {
                closes.Add(daily.Equity[i]);
            }
        }

        var r = closes.Zip(closes.Skip(1), (a, b) => (b / a) - 1).ToArray();
        var mean = r.Average();
        var std = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / (r.Length - 1));
        Assert.Equal(365, r.Length); // 2024 has 366 days; the 30 warm-up candles end on 2 January at 06:00
        Assert.Equal(mean / std * Math.Sqrt(365), daily.Metrics.Sharpe, 9);
        Assert.Contains("\"returns\":\"candle\"", Results.SummaryJson.ToJson(BacktestEngine.Run(SampleData.Candles, d, Trading.Core.Strategies.ParameterSet.Empty, new BacktestOptions())));
    }

    /// <summary>
    /// Daily resampling against a naive reference that finds every point's day with ClosingMidnight: random steps of
    /// whole hours, odd minutes and days (gaps), starting exactly at, just before and just after a midnight.
    /// </summary>
    [Fact]
    public void Daily_returns_match_a_day_by_day_reference_over_random_times()
    {
        var rng = new Random(7);
        foreach (var start in (long[])[1_704_067_200_000, 1_704_067_200_000 - 1, 1_704_067_200_000 + 1, 0])
        {
            for (var run = 0; run < 50; run++)
            {
                var s = new EquityStatistics(100, start);
                var days = new List<double>();
                long day = EquityStatistics.ClosingMidnight(start);
                double dayEquity = 100, previous = 100;
                var hasPoints = false;
                var t = start;
                var e = 100.0;
                for (var i = 0; i < 200; i++)
                {
                    t += rng.Next(4) switch { 0 => H, 1 => Day, 2 => rng.Next(1, 3 * 60) * 60_000L, _ => rng.Next(1, 3) * Day + H };
                    e *= 1 + ((rng.NextDouble() - 0.5) * 0.02);
                    s.Add(t, e, false);
                    var d = EquityStatistics.ClosingMidnight(t);
                    if (d != day)
                    {
                        if (hasPoints)
                        {
                            days.Add((dayEquity / previous) - 1);
                            previous = dayEquity;
                        }

                        for (var k = ((d - day) / Day) - 1; k > 0; k--)
                        {
                            days.Add(0);
                        }

                        day = d;
                    }

                    dayEquity = e;
                    hasPoints = true;
                }

                days.Add((dayEquity / previous) - 1);
                var mean = days.Sum() / days.Count;
                Assert.Equal(days.Count, s.DayCount);
                Assert.Equal(mean, s.DailyMoments().Mean, 1e-15);
            }
        }
    }
}
