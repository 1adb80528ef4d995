using CsCheck;
using Trading.Core.Numerics;

namespace Trading.Core.Tests.Numerics;

/// <summary>
/// <see cref="ExactDecimal"/> against <see cref="decimal"/> itself: every operation gives the same bits (mantissa,
/// scale and the sign of zero, as <see cref="decimal.GetBits(decimal)"/> shows them) on random operands over the whole
/// range — small mantissas at many scales (prices, quantities, cash), 64-bit and full 96-bit mantissas, zeros of either
/// sign — and at the extremes, where decimal rounds or overflows (there the same exception is thrown).
/// </summary>
public sealed class ExactDecimalTests
{
    private static decimal Make(ulong lo, uint hi, int scale, bool negative) =>
        new((int)(uint)lo, (int)(uint)(lo >> 32), (int)hi, negative, (byte)scale);

    /// <summary>Mantissas of every size class, scales 0–28, both signs; zeros and powers of ten near the edges often.</summary>
    private static readonly Gen<decimal> Any = Gen.Frequency(
        (4, Gen.Select(Gen.ULong[0, 99_999_999_999], Gen.Int[0, 12], Gen.Bool, (m, s, n) => Make(m, 0, s, n))),
        (2, Gen.Select(Gen.ULong, Gen.Int[0, 28], Gen.Bool, (m, s, n) => Make(m, 0, s, n))),
        (2, Gen.Select(Gen.ULong, Gen.UInt, Gen.Int[0, 28], Gen.Bool, (m, h, s, n) => Make(m, h, s, n))),
        (1, Gen.Select(Gen.Int[0, 28], Gen.Bool, (s, n) => Make(0, 0, s, n))),
        (1, Gen.Select(Gen.Int[0, 19], Gen.Int[0, 28], Gen.Bool, (p, s, n) => Make(Pow10(p), 0, s, n))),
        (1, Gen.Select(Gen.Int[0, 28], Gen.Bool, (s, n) => Make(ulong.MaxValue, uint.MaxValue, s, n))));

    private static ulong Pow10(int p)
    {
        var v = 1UL;
        for (var i = 0; i < p; i++)
        {
            v *= 10;
        }

        return v;
    }

    private static void Same(decimal expected, ExactDecimal actual, string what)
    {
        var e = decimal.GetBits(expected);
        var a = decimal.GetBits(actual.ToDecimal());
        if (!e.SequenceEqual(a))
        {
            throw new Xunit.Sdk.XunitException($"{what}: decimal gives {expected} [{string.Join(",", e)}], ExactDecimal {actual} [{string.Join(",", a)}]");
        }
    }

    /// <summary>Runs both; equal bits, or the same exception type from both.</summary>
    private static void Check(Func<decimal> expected, Func<ExactDecimal> actual, string what)
    {
        decimal e;
        try
        {
            e = expected();
        }
        catch (OverflowException)
        {
            Assert.Throws<OverflowException>(() => actual());
            return;
        }

        Same(e, actual(), what);
    }

    [Fact]
    public void Round_trips_every_decimal_bit_for_bit() =>
        Any.Sample(d => Same(d, ExactDecimal.FromDecimal(d), $"round trip {d}"), iter: 20_000);

    [Fact]
    public void Addition_and_subtraction_give_decimals_bits() =>
        Gen.Select(Any, Any).Sample((x, y) =>
        {
            ExactDecimal a = ExactDecimal.FromDecimal(x), b = ExactDecimal.FromDecimal(y);
            Check(() => x + y, () => a + b, $"{x} + {y}");
            Check(() => x - y, () => a - b, $"{x} - {y}");
            Check(() => y - x, () => b - a, $"{y} - {x}");
        }, iter: 100_000);

    [Fact]
    public void Multiplication_gives_decimals_bits() =>
        Gen.Select(Any, Any).Sample((x, y) =>
        {
            ExactDecimal a = ExactDecimal.FromDecimal(x), b = ExactDecimal.FromDecimal(y);
            Check(() => x * y, () => a * b, $"{x} * {y}");
        }, iter: 100_000);

    [Fact]
    public void Comparisons_min_max_abs_sign_and_negation_give_decimals_answers() =>
        Gen.Select(Any, Any).Sample((x, y) =>
        {
            ExactDecimal a = ExactDecimal.FromDecimal(x), b = ExactDecimal.FromDecimal(y);
            Assert.Equal(decimal.Compare(x, y), ExactDecimal.Compare(a, b));
            Assert.Equal(x == y, a == b);
            Assert.Equal(x < y, a < b);
            Assert.Equal(x >= y, a >= b);
            Same(Math.Min(x, y), ExactDecimal.Min(a, b), $"min({x}, {y})");
            Same(Math.Max(x, y), ExactDecimal.Max(a, b), $"max({x}, {y})");
            Same(Math.Abs(x), a.Abs(), $"abs({x})");
            Same(-x, -a, $"-({x})");
            Assert.Equal(Math.Sign(x), a.Sign);
            Assert.Equal(decimal.ToDouble(x), a.ToDouble());
        }, iter: 100_000);

    [Fact]
    public void Comparing_equal_values_at_different_scales_matches_decimal()
    {
        // Ties are where Min and Max must pick decimal's operand (its scale): 1.0 vs 1.00, 0 vs −0.0.
        decimal[] ties = [1.0m, 1.00m, 1m, 0m, -0.0m, 0.000m, -(0.0m), 1234.5000m, 1234.5m];
        foreach (var x in ties)
        {
            foreach (var y in ties)
            {
                ExactDecimal a = ExactDecimal.FromDecimal(x), b = ExactDecimal.FromDecimal(y);
                Same(Math.Min(x, y), ExactDecimal.Min(a, b), $"min({x}, {y})");
                Same(Math.Max(x, y), ExactDecimal.Max(a, b), $"max({x}, {y})");
                Same(x + y, a + b, $"{x} + {y}");
                Same(x - y, a - b, $"{x} - {y}");
                Same(x * y, a * b, $"{x} * {y}");
            }
        }
    }

    [Fact]
    public void Rounding_gives_decimals_bits_in_every_mode() =>
        Gen.Select(Any, Gen.Int[0, 28], Gen.OneOf(MidpointRounding.ToEven, MidpointRounding.AwayFromZero, MidpointRounding.ToZero, MidpointRounding.ToNegativeInfinity, MidpointRounding.ToPositiveInfinity)).Sample((x, places, mode) =>
        {
            var a = ExactDecimal.FromDecimal(x);
            Same(decimal.Round(x, places, mode), a.Round(places, mode), $"round({x}, {places}, {mode})");
        }, iter: 100_000);

    [Fact]
    public void Midpoints_round_as_decimal_does()
    {
        decimal[] values = [0.000000025m, -0.000000025m, 0.000000015m, 2.5m, -2.5m, 3.5m, 0.5m, -0.5m, 0.000000005m, 1.999999995m];
        foreach (var x in values)
        {
            foreach (var mode in Enum.GetValues<MidpointRounding>())
            {
                for (var places = 0; places <= 10; places++)
                {
                    Same(decimal.Round(x, places, mode), ExactDecimal.FromDecimal(x).Round(places, mode), $"round({x}, {places}, {mode})");
                }
            }
        }
    }

    [Fact]
    public void At_the_extremes_the_result_is_decimals_rounded_one_or_its_overflow()
    {
        // Beyond 96 bits or 28 places decimal rounds: the integer path must not answer there.
        var max = decimal.MaxValue;
        var tiny = new decimal(1, 0, 0, false, 28);
        (decimal X, decimal Y)[] pairs =
        [
            (max, 0.5m), (max, -0.5m), (max, tiny), (max - 1, 1m), (tiny, tiny), (0.1m, tiny), (max, 1m), (max, -max),
            (7922816251426433759354395033.5m, 0.5m), (1e-14m, 1e-15m), (79228162514264.337593543950335m, 10m),
            (1.0000000000000000000000000001m, 1.0000000000000000000000000001m), (ulong.MaxValue, ulong.MaxValue),
            (18446744073709551615.5m, 4294967296m),
        ];
        foreach (var (x, y) in pairs)
        {
            foreach (var (p, q) in new[] { (x, y), (y, x), (-x, y), (x, -y) })
            {
                ExactDecimal a = ExactDecimal.FromDecimal(p), b = ExactDecimal.FromDecimal(q);
                Check(() => p + q, () => a + b, $"{p} + {q}");
                Check(() => p - q, () => a - b, $"{p} - {q}");
                Check(() => p * q, () => a * b, $"{p} * {q}");
                Assert.Equal(decimal.Compare(p, q), ExactDecimal.Compare(a, b));
            }
        }
    }

    [Fact]
    public void Integers_convert_as_decimal_does()
    {
        foreach (var v in new long[] { 0, 1, -1, 42, long.MaxValue, long.MinValue + 1 })
        {
            Same(v, ExactDecimal.FromInt64(v), $"{v}");
        }
    }
}
