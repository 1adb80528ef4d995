using System.Globalization;
using CsCheck;
using Trading.Backtest.Results;

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
}
