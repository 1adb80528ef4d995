using CsCheck;
using Trading.Backtest.Engine;
using Trading.Core.Accounting;

namespace Trading.Backtest.Tests;

/// <summary>The account's own position arithmetic gives <see cref="Portfolio.Combine"/>'s position bit for bit (value and scale).</summary>
public sealed class BacktestAccountTests
{
    private static readonly Gen<decimal> Signed = Gen.Select(Gen.Long[0, 99_999_999_999], Gen.Int[0, 10], Gen.Bool, (m, s, negative) => new decimal((int)(uint)m, (int)(uint)((ulong)m >> 32), 0, negative, (byte)s));

    private static readonly Gen<decimal> Price = Gen.Select(Gen.Long[1, 99_999_999], Gen.Int[0, 4], (m, s) => new decimal((int)(uint)m, (int)(uint)((ulong)m >> 32), 0, false, (byte)s));

    private static bool Same(decimal a, decimal b) => decimal.GetBits(a).SequenceEqual(decimal.GetBits(b));

    [Fact]
    public void Combine_matches_the_portfolio()
    {
        // Quantities drawn also as the negation of the holding, so that positions close to zero and flip.
        Gen.Select(Signed, Price, Signed, Price, Gen.Int[0, 2]).Sample((held, average, q, price, mode) =>
        {
            var current = new Position(held, held == 0 ? 0 : average);
            var change = mode == 0 ? -held : mode == 1 ? -held - q : q;
            var expected = Portfolio.Combine(current, change, price).Position;
            var actual = BacktestAccount.Combine(current, change, price);
            return Same(expected.Quantity, actual.Quantity) && Same(expected.AveragePrice, actual.AveragePrice);
        }, iter: 20_000);
    }
}
