using Trading.Backtest.Engine;
using Trading.Backtest.Results;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Tests;

/// <summary>
/// <see cref="BacktestEngine.Summarize(ReadOnlySpan{Trading.Core.Market.Candle}, StrategyDescriptor, ParameterSet, BacktestOptions)"/>
/// reports, field by field, what <see cref="BacktestEngine.Run(ReadOnlySpan{Trading.Core.Market.Candle}, StrategyDescriptor, ParameterSet, BacktestOptions)"/>
/// does for the same inputs: every metric (record equality, so to the last bit), the final equity, the fill count,
/// the order-list hash, the rejected and open orders' counts.
/// </summary>
public sealed class SummaryTests
{
    private static readonly Dictionary<string, BacktestOptions> Variants = new()
    {
        ["default"] = new BacktestOptions(),
        ["sweep"] = new BacktestOptions { RecordEquity = false, RecordFills = false, RecordTrades = false },
        ["trade-on-close"] = new BacktestOptions { TradeOnClose = true, SlippageBps = 5 },
        ["short"] = new BacktestOptions { AllowShort = true, FeeRate = 0.00075m },
        ["warm-up-in-stats"] = new BacktestOptions { WarmUpInStats = true, CloseAtEnd = true },
        ["received-fees"] = new BacktestOptions { FeeAsset = FeeAsset.Received, Returns = ReturnsBasis.Daily },
        ["explicit-warm-up"] = new BacktestOptions { WarmUpCandles = 500, InitialCash = 2_500m },
    };

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        string[] parameters = ["", "fast=5 slow=40", "period=30 lower=25 upper=75", "period=50 stddev=1.5", "size=0.5"];
        foreach (var strategy in new[] { "sma-cross", "rsi-reversion", "bollinger-breakout" })
        {
            foreach (var set in parameters)
            {
                foreach (var variant in Variants.Keys)
                {
                    if (Parse(strategy, set) is not null)
                    {
                        data.Add(strategy, set, variant);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Summary_equals_the_full_result(string strategy, string parameters, string variant)
    {
        var descriptor = StrategyRegistry.CreateDefault().Get(strategy);
        var set = Parse(strategy, parameters)!;
        var options = Variants[variant];

        var full = BacktestEngine.Run(SampleData.Candles, descriptor, set, options);
        var summary = BacktestEngine.Summarize(SampleData.Candles, descriptor, set, options);

        AssertSame(full, summary);
        Assert.True(summary.FillCount > 0, "the case trades");
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(400, 0)]
    [InlineData(400, 30)]
    [InlineData(400, 398)]
    [InlineData(400, 399)]
    [InlineData(400, 400)]
    [InlineData(400, 1_000)]
    public void Summary_equals_the_full_result_at_the_edges_of_the_warm_up(int candles, int warmUp)
    {
        // Every candle warm-up, all but the last, none; a single candle; the last candle closing the position.
        var descriptor = StrategyRegistry.CreateDefault().Get("sma-cross");
        var set = ParameterSet.From(("fast", 3), ("slow", 8));
        foreach (var options in new[] { new BacktestOptions { WarmUpCandles = warmUp }, new BacktestOptions { WarmUpCandles = warmUp, CloseAtEnd = true, TradeOnClose = true } })
        {
            var full = BacktestEngine.Run(SampleData.Candles.AsSpan(0, candles), descriptor, set, options);
            var summary = BacktestEngine.Summarize(SampleData.Candles.AsSpan(0, candles), descriptor, set, options);
            AssertSame(full, summary);
        }
    }

    [Fact]
    public void Rejected_and_open_orders_are_counted_as_run_reports_them()
    {
        (int, OrderRequest)[] script =
        [
            (40, OrderRequest.Market(OrderSide.Buy, 0.05m)),
            (41, OrderRequest.Market(OrderSide.Buy, 1_000m)), // cannot be afforded: rejected
            (42, OrderRequest.Market(OrderSide.Sell, 0.5m)), // more than held, no shorting: rejected
            (60, OrderRequest.Limit(OrderSide.Buy, 0.01m, 1_000m)), // far below the market: still open at the end
            (61, OrderRequest.Limit(OrderSide.Buy, 0.01m, 2_000m)),
        ];
        var options = new BacktestOptions { WarmUpCandles = 10 };

        var full = BacktestEngine.Run(SampleData.Candles, new ScriptedStrategy(script), options);
        var summary = BacktestEngine.Summarize(SampleData.Candles, new ScriptedStrategy(script), options, 10);

        AssertSame(full, summary);
        Assert.Equal(2, summary.RejectedOrderCount);
        Assert.Equal(2, summary.OpenOrderCount);
        Assert.Equal(1, summary.FillCount);
    }

    [Fact]
    public void Runs_on_one_thread_one_after_the_other_do_not_leak_into_each_other()
    {
        // The engine reuses a thread's working containers between runs: alternate the two entry points and strategies.
        var registry = StrategyRegistry.CreateDefault();
        var first = BacktestEngine.Summarize(SampleData.Candles, registry.Get("sma-cross"), ParameterSet.Empty, new BacktestOptions());
        BacktestEngine.Run(SampleData.Candles, registry.Get("rsi-reversion"), ParameterSet.Empty, new BacktestOptions { AllowShort = true });
        BacktestEngine.Summarize(SampleData.Candles, registry.Get("bollinger-breakout"), ParameterSet.Empty, new BacktestOptions { TradeOnClose = true });
        var again = BacktestEngine.Summarize(SampleData.Candles, registry.Get("sma-cross"), ParameterSet.Empty, new BacktestOptions());

        Assert.Equal(first, again);
        Assert.Equal("5ee73a29fba58432995bda3c01df558197ed8cec4a8deec141c12918f579c005", again.OrderListHash); // RegressionTests' pin
    }

    [Fact]
    public void Invalid_parameters_are_refused_as_run_refuses_them()
    {
        var descriptor = StrategyRegistry.CreateDefault().Get("sma-cross");
        var bad = ParameterSet.From(("fast", 1));
        var run = Assert.Throws<StrategyParameterException>(() => BacktestEngine.Run(SampleData.Candles, descriptor, bad, new BacktestOptions()));
        var summarize = Assert.Throws<StrategyParameterException>(() => BacktestEngine.Summarize(SampleData.Candles, descriptor, bad, new BacktestOptions()));
        Assert.Equal(run.Message, summarize.Message);
    }

    private static void AssertSame(BacktestResult full, BacktestSummary summary)
    {
        Assert.Equal(full.Metrics, summary.Metrics);
        Assert.Equal(full.FinalEquity, summary.FinalEquity);
        Assert.Equal(full.FillCount, summary.FillCount);
        Assert.Equal(full.OrderListHash, summary.OrderListHash);
        Assert.Equal(full.RejectedOrders.Count, summary.RejectedOrderCount);
        Assert.Equal(full.OpenOrders.Count, summary.OpenOrderCount);
        Assert.Equal(full.Metrics.Trades + full.Metrics.OpenTrades, summary.TradeCount);
    }

    /// <summary>"name=value …" for the strategy, or null when a name is not one of its parameters.</summary>
    private static ParameterSet? Parse(string strategy, string text)
    {
        var descriptor = StrategyRegistry.CreateDefault().Get(strategy);
        var pairs = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToArray();
        if (pairs.Any(p => descriptor.Find(p[0]) is null))
        {
            return null;
        }

        return descriptor.Bind(pairs.Select(p => new KeyValuePair<string, string>(p[0], p[1])));
    }
}
