using CsCheck;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Core.Tests.Strategies;

/// <summary>An entry's budget is size × equity rounded toward zero to 8 places, to the bit, whatever the size.</summary>
public sealed class SizingTests
{
    private static bool Same(decimal a, decimal b) => decimal.GetBits(a).AsSpan().SequenceEqual(decimal.GetBits(b));

    private static readonly Gen<decimal> Decimals = Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt[0, 3], Gen.Bool, Gen.Byte[0, 28])
        .Select((lo, mid, hi, negative, scale) => new decimal((int)lo, (int)mid, (int)hi, negative, scale));

    [Fact]
    public void Times_one_is_the_value_to_the_bit()
    {
        // The identity the all-in entry relies on, for every sign and scale (zeros included).
        Decimals.Sample(x => Same(x * 1m, x) && Same(x * (decimal)1.0, x), iter: 100_000);
        Assert.True(Same(new decimal(0, 0, 0, true, 5) * 1m, new decimal(0, 0, 0, true, 5)));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.95)]
    [InlineData(0.01)]
    public void The_budget_is_size_times_equity_rounded_toward_zero(double size)
    {
        var cash = Gen.Select(Gen.Long[1, 99_999_999_999_999], Gen.Int[0, 13], (m, s) => new decimal((int)(uint)m, (int)(uint)((ulong)m >> 32), 0, false, (byte)s));
        cash.Sample(c =>
        {
            var context = new FakeContext { Cash = c };
            var sizing = new Sizing(size, 0);
            var entry = sizing.Entry(context, OrderSide.Buy);
            var expected = decimal.Round(c * (decimal)size, 8, MidpointRounding.ToZero);
            return entry.Type == OrderType.Market && Same(entry.QuoteQuantity, expected);
        }, iter: 20_000);
        var withSize = new Sizing(0.5, 0) with { Size = size };
        Assert.True(Same(withSize.Entry(new FakeContext { Cash = 1234.5678m }, OrderSide.Buy).QuoteQuantity, decimal.Round(1234.5678m * (decimal)size, 8, MidpointRounding.ToZero)));
    }
}
