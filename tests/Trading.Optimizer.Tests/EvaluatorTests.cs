using Trading.Backtest.Engine;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;
using Trading.Optimizer.Backtesting;

namespace Trading.Optimizer.Tests;

/// <summary>
/// A row of a sweep is the plain backtest of its window, to the last bit: <see cref="BacktestEvaluator"/> (which
/// summarises instead of building a full result, and resolves the warm-up once) against <see cref="BacktestEngine.Run(ReadOnlySpan{Trading.Core.Market.Candle}, StrategyDescriptor, ParameterSet, BacktestOptions)"/>
/// over the candles the evaluator's window starts at.
/// </summary>
public sealed class EvaluatorTests
{
    public static TheoryData<int, double, double, string> Cases()
    {
        var data = new TheoryData<int, double, double, string>();
        foreach (var firstTradable in new[] { 0, 150, 1_000 })
        {
            foreach (var (fast, slow) in new[] { (5.0, 30.0), (12.0, 200.0), (60.0, 300.0) })
            {
                foreach (var variant in new[] { "default", "short", "explicit-warm-up" })
                {
                    data.Add(firstTradable, fast, slow, variant);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Row_equals_the_plain_backtest_of_its_window(int firstTradable, double fast, double slow, string variant)
    {
        var options = variant switch
        {
            "short" => new BacktestOptions { AllowShort = true, TradeOnClose = true },
            "explicit-warm-up" => new BacktestOptions { WarmUpCandles = 77 },
            _ => new BacktestOptions(),
        };
        var point = SmaCross.Descriptor.Defaults.With("fast", fast).With("slow", slow);
        var evaluator = new BacktestEvaluator(SampleData.Candles, SmaCross.Descriptor, options, firstTradable);

        var row = evaluator.Evaluate(point);

        var warmUp = options.WarmUpCandles ?? SmaCross.Descriptor.WarmUpCandles(point);
        var start = Math.Max(0, firstTradable - warmUp);
        var full = BacktestEngine.Run(SampleData.Candles.AsSpan(start), SmaCross.Descriptor, point, options);
        Assert.Equal(full.Metrics, row.Metrics);
        Assert.Equal(full.OrderListHash, row.OrderListHash);
        Assert.Equal(full.FillCount, row.Fills);
        Assert.Equal(full.RejectedOrders.Count, row.RejectedOrders);
        Assert.True(row.Fills > 0);
    }

    [Fact]
    public void An_incomplete_set_is_completed_with_the_defaults_as_a_plain_backtest_does()
    {
        var evaluator = new BacktestEvaluator(SampleData.Candles, SmaCross.Descriptor, new BacktestOptions(), 500);
        var partial = ParameterSet.From(("slow", 120));

        var row = evaluator.Evaluate(partial);

        var complete = SmaCross.Descriptor.Complete(partial);
        Assert.Equal(evaluator.Evaluate(complete), row);
        var full = BacktestEngine.Run(SampleData.Candles.AsSpan(500 - 120), SmaCross.Descriptor, partial, new BacktestOptions());
        Assert.Equal(full.Metrics, row.Metrics);
        Assert.Equal(full.OrderListHash, row.OrderListHash);
    }

    [Fact]
    public void An_invalid_set_is_refused_with_the_descriptor_s_error()
    {
        var evaluator = new BacktestEvaluator(SampleData.Candles, SmaCross.Descriptor, new BacktestOptions());
        var e = Assert.Throws<StrategyParameterException>(() => evaluator.Evaluate(ParameterSet.From(("fast", 1))));
        Assert.Contains("fast", e.Message, StringComparison.Ordinal);
    }
}
