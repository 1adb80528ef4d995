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

    public InstrumentRules(Instrument instrument)
    {
        _instrument = instrument;
        _lotStep = instrument.LotStep;
        _lotPlaces = instrument.LotStep > 0 ? Instrument.DecimalPlacesOfPowerOfTen(instrument.LotStep) : -1;
    }

    public Instrument Instrument => _instrument;

    /// <summary><see cref="Instrument.RoundQuantityDown"/>.</summary>
    public decimal RoundQuantityDown(decimal quantity) =>
        _lotStep <= 0 ? quantity
        : _lotPlaces >= 0 ? decimal.Round(quantity, _lotPlaces, MidpointRounding.ToNegativeInfinity)
        : _instrument.RoundQuantityDown(quantity);

    /// <summary><see cref="Instrument.IsOnGrid"/> for the lot step.</summary>
    private bool OnLotGrid(decimal quantity)
    {
        if (_lotStep <= 0)
        {
            return true;
        }

        var magnitude = Math.Abs(quantity);
        return RoundQuantityDown(magnitude) == magnitude;
    }

    /// <summary>Whether <see cref="Instrument.CheckOrder"/> passes (returns null).</summary>
    public bool PassesFilters(decimal quantity, decimal price) =>
        quantity > 0
        && OnLotGrid(quantity)
        && quantity >= _instrument.MinQuantity
        && (price <= 0 || quantity * price >= _instrument.MinNotional);

    /// <summary><see cref="Instrument.CheckOrder"/>: null when it passes, else the shared code's reason.</summary>
    public string? CheckOrder(decimal quantity, decimal price) =>
        PassesFilters(quantity, price) ? null : _instrument.CheckOrder(quantity, price);

    /// <summary><see cref="FillModel.QuantityForBudget"/> (the double estimate included, so the loops run alike).</summary>
    public decimal QuantityForBudget(decimal budget, decimal price, decimal cashFeeRate)
    {
        if (price <= 0 || budget <= 0)
        {
            return 0;
        }

        var unit = price * (1 + cashFeeRate);
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
