using CsCheck;
using Trading.Backtest.Engine;
using Trading.Core.Execution;
using Trading.Core.Market;

namespace Trading.Backtest.Tests;

/// <summary>
/// The engine's per-run copy of the shared rules gives the shared code's answers bit for bit (value and scale: a
/// decimal's conversion to double depends on its scale), for power-of-ten lot steps (the cached places) and others.
/// </summary>
public sealed class InstrumentRulesTests
{
    private static readonly Instrument[] Instruments =
    [
        Instrument.BtcUsdt,
        Bars.Test,
        new("ODD", "O", "Q", 0.05m, 0.25m, 0.5m, 10m),
        new("UNIT", "U", "Q", 1m, 1m, 1m, 0m),
        new("FREE", "F", "Q", 0m, 0m, 0m, 0m),
    ];

    private static readonly Gen<decimal> Amount = Gen.Select(Gen.Long[0, 99_999_999_999_999], Gen.Int[0, 12], Gen.Bool, (m, s, negative) => new decimal((int)(uint)m, (int)(uint)((ulong)m >> 32), 0, negative, (byte)s));

    private static readonly Gen<decimal> Positive = Gen.Select(Gen.Long[1, 9_999_999_999_999], Gen.Int[0, 10], (m, s) => new decimal((int)(uint)m, (int)(uint)((ulong)m >> 32), 0, false, (byte)s));

    private static bool Same(decimal a, decimal b) => decimal.GetBits(a).SequenceEqual(decimal.GetBits(b));

    [Fact]
    public void Rounding_and_filters_match_the_instrument()
    {
        foreach (var instrument in Instruments)
        {
            var rules = new InstrumentRules(instrument);
            Gen.Select(Amount, Amount).Sample((q, p) =>
                Same(instrument.RoundQuantityDown(q), rules.RoundQuantityDown(q))
                && instrument.CheckOrder(q, p) == rules.CheckOrder(q, p)
                && (instrument.CheckOrder(q, p) is null) == rules.PassesFilters(q, p), iter: 20_000);
        }
    }

    [Fact]
    public void Quantity_for_a_budget_matches_the_fill_model()
    {
        decimal[] rateChoices = [0m, 0.001m, 0.00075m, 0.01m];
        var rates = Gen.Int[0, 3].Select(i => rateChoices[i]);
        foreach (var instrument in Instruments)
        {
            var rules = new InstrumentRules(instrument);
            Gen.Select(Positive, Positive, rates).Sample((budget, price, rate) =>
                Same(FillModel.QuantityForBudget(budget, price, rate, instrument), rules.QuantityForBudget(budget, price, rate)), iter: 5_000);
            Assert.Equal(0m, rules.QuantityForBudget(0m, 100m, 0m));
            Assert.Equal(0m, rules.QuantityForBudget(100m, 0m, 0m));
        }
    }

    /// <summary>
    /// Budgets at and around an exact cost (the answer's last lot digit often zero, the estimate often exact, so the
    /// scale comes from the estimate), budgets of 8 places as the engine's entries spend, and steps written with
    /// trailing zeros: the exact path and the fallback both give the shared code's bits.
    /// </summary>
    [Fact]
    public void Quantity_for_a_budget_matches_the_fill_model_at_exact_costs()
    {
        decimal[] rateChoices = [0m, 0.001m, 0.00075m, 0.01m, 0.1m];
        decimal[] deltaChoices = [0m, 0.00000001m, -0.00000001m, 0.5m, -0.5m, 1m];
        var rates = Gen.Int[0, rateChoices.Length - 1].Select(i => rateChoices[i]);
        var deltas = Gen.Int[0, deltaChoices.Length - 1].Select(i => deltaChoices[i]);
        var prices = Gen.Select(Gen.Long[1, 10_000_000_000], Gen.Int[0, 4], (m, s) => new decimal((int)(uint)m, (int)(uint)((ulong)m >> 32), 0, false, (byte)s));
        var lots = Gen.OneOf(Gen.Long[0, 1_000], Gen.Long[0, 100_000_000_000], Gen.Int[0, 10_000].Select(i => i * 10L), Gen.Int[0, 1_000].Select(i => i * 1_000L));
        Instrument[] instruments =
        [
            .. Instruments,
            new("ZEROS", "Z", "Q", 0.01m, 0.000010m, 0.00001m, 5m),
            new("TENTH", "T", "Q", 0.1m, 0.1m, 0.1m, 1m),
            new("TEN", "X", "Q", 1m, 10m, 10m, 0m),
        ];
        foreach (var instrument in instruments)
        {
            var rules = new InstrumentRules(instrument);
            var step = instrument.LotStep > 0 ? instrument.LotStep : 0.00000001m;
            Gen.Select(lots, prices, rates, deltas).Sample((n, price, rate, delta) =>
            {
                var budget = (n * step * price * (1 + rate)) + delta;
                var eight = decimal.Round(budget, 8, MidpointRounding.ToZero);
                return Same(FillModel.QuantityForBudget(budget, price, rate, instrument), rules.QuantityForBudget(budget, price, rate))
                    && Same(FillModel.QuantityForBudget(eight, price, rate, instrument), rules.QuantityForBudget(eight, price, rate));
            }, iter: 20_000);
        }
    }

    /// <summary>Prices of many digits and large budgets, where the exact path's bounds (and their own overflow) decide.</summary>
    [Fact]
    public void Quantity_for_a_budget_matches_the_fill_model_with_long_mantissas()
    {
        var prices = Gen.Select(Gen.ULong[1, ulong.MaxValue], Gen.UInt[0, 1_000_000], Gen.Int[0, 20], (lo, hi, s) => new decimal((int)(uint)lo, (int)(uint)(lo >> 32), (int)hi, false, (byte)s));
        var budgets = Gen.Select(Gen.ULong[1, 10_000_000_000_000_000], Gen.Int[0, 8], (m, s) => new decimal((int)(uint)m, (int)(uint)(m >> 32), 0, false, (byte)s));
        var rules = new InstrumentRules(Instrument.BtcUsdt);
        Gen.Select(budgets, prices).Sample((budget, price) =>
            Same(FillModel.QuantityForBudget(budget, price, 0m, Instrument.BtcUsdt), rules.QuantityForBudget(budget, price, 0m))
            && Same(FillModel.QuantityForBudget(budget, price, 0.001m, Instrument.BtcUsdt), rules.QuantityForBudget(budget, price, 0.001m)), iter: 2_000);
    }
}
