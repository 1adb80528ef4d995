using Trading.Core.Accounting;
using Trading.Core.Execution;
using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Backtest.Engine;

/// <summary>
/// The shared trading rules the backtest applies per order and per fill — <see cref="Instrument"/>'s rounding and
/// filters, <see cref="Commission.For"/>, <see cref="FillModel.QuantityForBudget"/> — expression for expression (the
/// same decimal operations in the same order, so the same bits; the tests compare them with the shared code on random
/// inputs), with what the shared code recomputes on every call worked out once per run: the lot step's decimal places
/// (<see cref="Instrument.DecimalPlacesOfPowerOfTen"/> reads the step's bits and divides its mantissa down on each
/// rounding). The rules stay defined by the shared code; every refusal message still comes from it.
/// </summary>
internal sealed class InstrumentRules
{
    private readonly Instrument _instrument;
    private readonly decimal _lotStep;
    private readonly int _lotPlaces;

    /// <summary>The lot step is positive (a step of zero or less means no lot rule), decided once instead of a decimal comparison per call.</summary>
    private readonly bool _hasLotStep;

    /// <summary>The lot step is 10^−k written with scale k (mantissa 1): <see cref="QuantityForBudget"/>'s exact path.</summary>
    private readonly bool _unitLot;

    public InstrumentRules(Instrument instrument)
    {
        _instrument = instrument;
        _lotStep = instrument.LotStep;
        _hasLotStep = instrument.LotStep > 0;
        _lotPlaces = instrument.LotStep > 0 ? Instrument.DecimalPlacesOfPowerOfTen(instrument.LotStep) : -1;
        _unitLot = _lotPlaces >= 0 && instrument.LotStep.Scale == _lotPlaces;
    }

    public Instrument Instrument => _instrument;

    /// <summary>
    /// <see cref="Instrument.RoundQuantityDown"/>. A quantity written with no more decimal places than the lot step's
    /// is returned as it is, as decimal.Round returns it (same value, same scale): the usual case, without the call.
    /// </summary>
    public decimal RoundQuantityDown(decimal quantity) =>
        !_hasLotStep ? quantity
        : _lotPlaces >= 0 ? quantity.Scale <= _lotPlaces ? quantity : decimal.Round(quantity, _lotPlaces, MidpointRounding.ToNegativeInfinity)
        : _instrument.RoundQuantityDown(quantity);

    /// <summary><see cref="Instrument.IsOnGrid"/> for the lot step.</summary>
    private bool OnLotGrid(decimal quantity)
    {
        if (!_hasLotStep)
        {
            return true;
        }

        // A quantity with no more decimal places than a 10^-k step's is on its grid: no rounding to compare with.
        if (_lotPlaces >= 0 && quantity.Scale <= _lotPlaces)
        {
            return true;
        }

        var magnitude = Math.Abs(quantity);
        return RoundQuantityDown(magnitude) == magnitude;
    }

    /// <summary>Whether <see cref="Instrument.CheckOrder"/> passes (returns null).</summary>
    /// <remarks>decimal.Sign(x) &gt; 0 is x &gt; 0 read from the bits (the operator with 0m is the general comparison).</remarks>
    public bool PassesFilters(decimal quantity, decimal price) =>
        decimal.Sign(quantity) > 0
        && OnLotGrid(quantity)
        && quantity >= _instrument.MinQuantity
        && (decimal.Sign(price) <= 0 || quantity * price >= _instrument.MinNotional);

    /// <summary><see cref="PassesFilters(decimal, decimal)"/> with quantity × price already worked out.</summary>
    public bool PassesFilters(decimal quantity, decimal price, decimal notional) =>
        decimal.Sign(quantity) > 0
        && OnLotGrid(quantity)
        && quantity >= _instrument.MinQuantity
        && (decimal.Sign(price) <= 0 || notional >= _instrument.MinNotional);

    /// <summary><see cref="Instrument.CheckOrder"/>: null when it passes, else the shared code's reason.</summary>
    public string? CheckOrder(decimal quantity, decimal price) =>
        PassesFilters(quantity, price) ? null : _instrument.CheckOrder(quantity, price);

    /// <summary><see cref="CheckOrder(decimal, decimal)"/> with <paramref name="notional"/> = quantity × price given.</summary>
    public string? CheckOrder(decimal quantity, decimal price, decimal notional) =>
        PassesFilters(quantity, price, notional) ? null : _instrument.CheckOrder(quantity, price);

    /// <summary>
    /// <see cref="FillModel.QuantityForBudget"/>: the same value in the same scale. For a lot step 10^−k written with
    /// scale k (0.00001m, not 0.000010m) the answer, the largest lot multiple whose cost fits, is one exact 128-bit
    /// division instead of the shared code's double estimate stepped to it; its scale is then k — what the shared code
    /// returns too (every step it takes is at the step's scale; its estimate, rounded down to k places, has at most k) —
    /// except when the estimate was already the answer: then the estimate's own scale, which is below k when the
    /// answer ends in zeros (the double conversion drops them), so only then is the estimate made, to return it. The
    /// shared code's steps are exact while its products fit a decimal without rounding; outside the bounds that
    /// guarantee that (and for other steps) it is the shared code's stepping, as before.
    /// </summary>
    public decimal QuantityForBudget(decimal budget, decimal price, decimal cashFeeRate) =>
        QuantityForBudgetAt(budget, price, 1 + cashFeeRate);

    /// <summary><see cref="QuantityForBudget"/> with 1 + the cash fee rate given (a run works it out once per rate).</summary>
    public decimal QuantityForBudgetAt(decimal budget, decimal price, decimal onePlusCashFeeRate)
    {
        if (decimal.Sign(price) <= 0 || decimal.Sign(budget) <= 0)
        {
            return 0;
        }

        var unit = price * onePlusCashFeeRate;
        if (_unitLot && decimal.Sign(unit) > 0 && ExactLots(budget, unit) is { } lots)
        {
            var answer = new decimal((int)(uint)lots, (int)(uint)(lots >> 32), 0, false, (byte)_lotPlaces);
            if (lots % 10 != 0)
            {
                return answer;
            }

            var estimate = RoundQuantityDown((decimal)((double)budget / (double)unit));
            return estimate == answer ? estimate : answer;
        }

        return SteppedQuantityForBudget(budget, unit);
    }

    /// <summary>
    /// floor(budget / (unit × 10^−k)) exactly, or null outside the bounds within which the shared code's stepping is
    /// exact and so reaches the same answer: unit and lot together at most 28 decimal places (the products' scale),
    /// a product of the answer's lots (plus two) and the unit's digits within 95 bits (no rounding), and under 10^18
    /// lots (the shared code's jump divisions, to 28 digits, then land within a lot).
    /// </summary>
    private ulong? ExactLots(decimal budget, decimal unit)
    {
        // The mantissas and scales read in place (both values are positive here: the caller tested them).
        var b = Mantissa(in budget);
        var sb = Results.DecimalParts.Of(in budget).Scale;
        var u = Mantissa(in unit);
        var su = Results.DecimalParts.Of(in unit).Scale;
        if (su + _lotPlaces > 28)
        {
            return null;
        }

        // budget / (unit × 10^−k) = b × 10^(su + k − sb) / u.
        var e = su + _lotPlaces - sb;
        UInt128 numerator = b, denominator = u;
        if (e >= 0)
        {
            var scale = Pow10[e];
            if (b > UInt128.MaxValue / scale)
            {
                return null;
            }

            numerator = b * scale;
        }
        else
        {
            if (-e >= Pow10.Length)
            {
                return 0;
            }

            var scale = Pow10[-e];
            if (u > UInt128.MaxValue / scale)
            {
                return 0; // the denominator exceeds any 96-bit budget: not one lot
            }

            denominator = u * scale;
        }

        // (lots + 2) × u < 2^95, tested by a division: the product itself can exceed 128 bits.
        var lots = numerator / denominator;
        if (lots >= MaxLots || u >= ProductLimit / (lots + 2))
        {
            return null;
        }

        return (ulong)lots;
    }

    private static UInt128 Mantissa(ref readonly decimal value)
    {
        ref readonly var parts = ref Results.DecimalParts.Of(in value);
        return ((UInt128)parts.High32 << 64) | parts.Low64;
    }

    private const ulong MaxLots = 1_000_000_000_000_000_000;

    private static readonly UInt128 ProductLimit = UInt128.One << 95;

    /// <summary>10^0 … 10^38, every power of ten a UInt128 holds.</summary>
    private static readonly UInt128[] Pow10 = BuildPow10();

    private static UInt128[] BuildPow10()
    {
        var powers = new UInt128[39];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }

    /// <summary>
    /// <see cref="FillModel.QuantityForBudget"/>'s own steps, expression for expression: the double estimate, then
    /// exact decimal steps to the largest lot multiple that fits.
    /// </summary>
    private decimal SteppedQuantityForBudget(decimal budget, decimal unit)
    {
        var step = _lotStep > 0 ? _lotStep : 0.00000001m;
        var q = RoundQuantityDown((decimal)((double)budget / (double)unit));
        // The estimate is off by up to ~1e-15 of q (a double has 15-16 digits, a decimal made from one keeps 15): with
        // a large budget and a fine lot that is millions of lots, so a far estimate first jumps (a decimal division,
        // only then) to within a lot or two; the steps below settle it exactly. The answer, the largest lot multiple
        // that fits, and its scale are the same as stepping all the way.
        var lotCost = step * unit;
        var over = q * unit - budget;
        if (over > 2 * lotCost)
        {
            q -= decimal.Floor(over / lotCost) * step;
        }

        while (q > 0 && q * unit > budget)
        {
            q -= step;
        }

        var under = budget - (q * unit);
        if (under > 2 * lotCost)
        {
            q += (decimal.Floor(under / lotCost) - 1) * step;
        }

        while ((q + step) * unit <= budget)
        {
            q += step;
        }

        return q;
    }
}
