using System.Globalization;
using CsCheck;
using Trading.Backtest.Engine;
using Trading.Backtest.Results;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;

namespace Trading.Backtest.Tests;

/// <summary>The hash's decimal printing (from the integer mantissa) is the invariant format without trailing zeros.</summary>
public sealed class OrderListHashTests
{
    private static string Reference(decimal value)
    {
        var s = value.ToString(CultureInfo.InvariantCulture);
        return s.Contains('.') ? s.TrimEnd('0').TrimEnd('.') : s;
    }

    [Theory]
    [InlineData("0.005")]
    [InlineData("42")]
    [InlineData("4200")]
    [InlineData("1.50")]
    [InlineData("0.00001000")]
    [InlineData("40000.12")]
    [InlineData("12345678901234567890")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("0.0")]
    [InlineData("-2.500")]
    public void Normalize_prints_like_the_invariant_format_without_trailing_zeros(string text)
    {
        var value = decimal.Parse(text, CultureInfo.InvariantCulture);
        Assert.Equal(Reference(value), OrderListHash.Normalize(value));
    }

    [Fact]
    public void Normalize_agrees_with_the_invariant_format_on_random_decimals()
    {
        var mantissa = Gen.ULong;
        var scale = Gen.Byte[0, 28];
        Gen.Select(mantissa, scale).Sample((m, s) =>
        {
            var value = new decimal((int)(uint)m, (int)(uint)(m >> 32), 0, false, s);
            return Reference(value) == OrderListHash.Normalize(value);
        });
    }

    [Fact]
    public void A_run_that_does_not_keep_its_fills_reports_the_same_hash_and_count()
    {
        var parameters = ParameterSet.From(("fast", 10), ("slow", 30));
        var kept = BacktestEngine.Run(SampleData.Candles, SmaCross.Descriptor, parameters, new BacktestOptions());
        var counted = BacktestEngine.Run(SampleData.Candles, SmaCross.Descriptor, parameters, new BacktestOptions { RecordFills = false });

        Assert.True(kept.Fills.Count > 20);
        Assert.Equal(kept.Fills.Count, kept.FillCount);
        Assert.Equal(OrderListHash.Compute(kept.Fills), kept.OrderListHash);
        Assert.Empty(counted.Fills);
        Assert.Equal(kept.FillCount, counted.FillCount);
        Assert.Equal(kept.OrderListHash, counted.OrderListHash);
        Assert.Equal(kept.Metrics, counted.Metrics);
    }

    [Theory]
    [InlineData("sma-cross")]
    [InlineData("rsi-reversion")]
    [InlineData("bollinger-breakout")]
    public void A_run_that_keeps_no_trade_records_reports_the_same_metrics(string name)
    {
        var descriptor = StrategyRegistry.CreateDefault().Get(name);
        var kept = BacktestEngine.Run(SampleData.Candles, descriptor, ParameterSet.Empty, new BacktestOptions());
        var bare = BacktestEngine.Run(SampleData.Candles, descriptor, ParameterSet.Empty, new BacktestOptions { RecordTrades = false, RecordFills = false, RecordEquity = false });

        Assert.True(kept.Metrics.Trades > 20);
        Assert.Equal(kept.Metrics.Trades + kept.Metrics.OpenTrades, kept.Trades.Count);
        Assert.Empty(bare.Trades);
        Assert.Equal(kept.Metrics, bare.Metrics);
        Assert.Equal(kept.OrderListHash, bare.OrderListHash);
        Assert.Equal(kept.FinalEquity, bare.FinalEquity);
    }

    [Fact]
    public void The_hash_over_many_fills_is_sha256_of_the_lines_whatever_the_chunking()
    {
        // 3,000 fills make ~110 KB of lines: several chunks of the hasher's buffer, with lines across no boundary.
        var fills = Enumerable.Range(0, 3_000)
            .Select(i => new Fill(new ClientOrderId(i + 1), 1_704_067_200_000 + (i * 3_600_000L), i % 2 == 0 ? OrderSide.Buy : OrderSide.Sell, 40_000.5m + i, 0.12340m + (i * 0.00001m), 0))
            .ToList();
        var text = string.Concat(fills.Select(f => $"{f.Time},{(f.Side == OrderSide.Buy ? "BUY" : "SELL")},{Reference(f.Price)},{Reference(f.Quantity)}\n"));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(text)));

        Assert.True(text.Length > 100_000);
        Assert.Equal(expected, OrderListHash.Compute(fills));
        Assert.Equal(expected, OrderListHash.Compute(fills));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([])), OrderListHash.Compute([]));
    }
}
