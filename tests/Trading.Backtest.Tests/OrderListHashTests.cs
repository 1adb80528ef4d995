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
    public void Normalize_agrees_with_the_invariant_format_at_every_digit_count_boundary()
    {
        // The digit count comes from the mantissa's bit length and a table of powers of ten: 10^k − 1, 10^k and
        // 10^k + 1 at every k, at scales from 0 to past the digit count, are where an off-by-one would show.
        for (var k = 0; k <= 19; k++)
        {
            var power = 1UL;
            for (var i = 0; i < k; i++)
            {
                power *= 10;
            }

            foreach (var m in new[] { power - 1, power, power + 1, power * 2 - 1, ulong.MaxValue })
            {
                for (byte scale = 0; scale <= 22; scale++)
                {
                    var value = new decimal((int)(uint)m, (int)(uint)(m >> 32), 0, false, scale);
                    Assert.Equal(Reference(value), OrderListHash.Normalize(value));
                }
            }
        }
    }

    [Fact]
    public void Decimal_parts_read_in_place_are_the_decimals_bits()
    {
        var decimals = Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, Gen.Bool, Gen.Byte[0, 28])
            .Select((lo, mid, hi, negative, scale) => new decimal((int)lo, (int)mid, (int)hi, negative, scale));
        decimals.Sample(value =>
        {
            var bits = decimal.GetBits(value);
            ref readonly var parts = ref DecimalParts.Of(in value);
            return parts.Low64 == ((uint)bits[0] | ((ulong)(uint)bits[1] << 32))
                && parts.High32 == (uint)bits[2]
                && parts.Scale == value.Scale
                && parts.IsNegative == (bits[3] < 0);
        });
        Gen.Select(decimals, decimals, Gen.Bool).Sample((x, other, sameScale) =>
        {
            // Same-scale pairs (the fast path) as often as any pair.
            var y = sameScale ? new decimal(decimal.GetBits(other)[0], decimal.GetBits(other)[1], decimal.GetBits(x)[2] & 1, decimal.IsNegative(x), x.Scale) : other;
            return DecimalParts.Compare(in x, in y) == Math.Sign(decimal.Compare(x, y)) && DecimalParts.Compare(in y, in x) == Math.Sign(decimal.Compare(y, x));
        });
        var negativeZero = new decimal(0, 0, 0, true, 3);
        Assert.True(DecimalParts.Of(in negativeZero).IsNegative);
    }

    [Fact]
    public void A_zero_that_leaves_a_sum_unchanged_leaves_it_to_the_bit()
    {
        static bool Same(decimal a, decimal b) => decimal.GetBits(a).AsSpan().SequenceEqual(decimal.GetBits(b));
        var decimals = Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt[0, 3], Gen.Bool, Gen.Byte[0, 28], Gen.Int[0, 3])
            .Select((lo, mid, hi, negative, scale, size) => size switch
            {
                0 => new decimal(0, 0, 0, negative, scale),
                1 => new decimal((int)(lo % 1000), 0, 0, negative, scale),
                2 => new decimal((int)lo, (int)mid, 0, negative, scale),
                _ => new decimal((int)lo, (int)mid, (int)hi, negative, scale),
            });
        var zeros = Gen.Select(Gen.Bool, Gen.Byte[0, 28]).Select((negative, scale) => new decimal(0, 0, 0, negative, scale));
        var held = 0;
        Gen.Select(decimals, zeros).Sample((x, z) =>
        {
            if (!DecimalParts.LeavesUnchanged(in x, in z))
            {
                // Refused only where the sum may differ: a negative zero, or more places than x.
                return decimal.IsNegative(z) || z.Scale > x.Scale;
            }

            held++;
            return Same(x + z, x) && Same(x - z, x);
        }, iter: 200_000);
        Assert.True(held > 50_000, $"the identity held on only {held} samples");
        var one = 1m;
        var zeroAtTwo = 0.00m;
        Assert.False(DecimalParts.LeavesUnchanged(in one, in zeroAtTwo)); // 1 + 0.00 is 1.00, another scale
        Assert.Equal(2, (one + zeroAtTwo).Scale);
    }

    [Fact]
    public void A_line_is_the_time_side_and_normalized_amounts_as_text()
    {
        static string Line(long time, OrderSide side, decimal price, decimal quantity)
        {
            var buffer = new byte[OrderListHash.MaxLineBytes];
            var n = OrderListHash.WriteLine(time, side, price, quantity, buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
        }

        static string Expected(long time, OrderSide side, decimal price, decimal quantity) =>
            $"{time.ToString(CultureInfo.InvariantCulture)},{(side == OrderSide.Buy ? "BUY" : "SELL")},{Reference(price)},{Reference(quantity)}\n";

        foreach (var time in new[] { 0L, 1L, 9L, 10L, 1_704_067_200_000L, long.MaxValue, -1L, long.MinValue })
        {
            Assert.Equal(Expected(time, OrderSide.Sell, 0.5m, 3m), Line(time, OrderSide.Sell, 0.5m, 3m));
        }

        var extreme = new decimal(-1, -1, -1, true, 28);
        Assert.Equal(Expected(long.MinValue, OrderSide.Sell, extreme, extreme), Line(long.MinValue, OrderSide.Sell, extreme, extreme));

        var amount = Gen.Select(Gen.ULong, Gen.UInt[0, 3], Gen.Bool, Gen.Byte[0, 28])
            .Select((m, hi, negative, scale) => new decimal((int)(uint)m, (int)(uint)(m >> 32), (int)(hi == 3 ? 1 : 0), negative && hi == 2, scale));
        Gen.Select(Gen.Long, Gen.Bool, amount, amount).Sample((time, buy, price, quantity) =>
        {
            var side = buy ? OrderSide.Buy : OrderSide.Sell;
            return Expected(time, side, price, quantity) == Line(time, side, price, quantity);
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
