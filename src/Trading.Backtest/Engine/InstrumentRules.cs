using Trading.Core.Accounting;
using Trading.Core.Execution;
using Trading.Core.Market;
using Trading.Core.Numerics;
using Trading.Core.Orders;

namespace Trading.Backtest.Engine;

/// <summary>
/// The shared trading rules the backtest applies per order and per fill — <see cref="Instrument"/>'s rounding and
/// filters, <see cref="Commission.For"/>, <see cref="FillModel.QuantityForBudget"/> — expression for expression (the
/// same decimal operations in the same order, so the same bits; the tests compare them with the shared code on random
/// inputs), with what the shared code recomputes on every call worked out once per run: the lot step's decimal places
/// (<see cref="Instrument.DecimalPlacesOfPowerOfTen"/> reads the step's bits and divides its mantissa down on each
/// rounding). The rules stay defined by the shared code; every refusal message still comes from it. The engine's fill
/// path calls the <see cref="ExactDecimal"/> overloads: the same expressions on the same bits, without decimal's
/// arithmetic (tested against the shared code too).
/// </summary>
internal sealed class InstrumentRules
{
    private readonly Instrument _instrument;
    private readonly decimal _lotStep;
    private readonly int _lotPlaces;
    private readonly ExactDecimal _lotStepExact;
    private readonly ExactDecimal _stepExact;
    private readonly ExactDecimal _minQuantityExact;
    private readonly ExactDecimal _minNotionalExact;
    private static readonly ExactDecimal One = ExactDecimal.FromInt64(1);

    public InstrumentRules(Instrument instrument)
    {
        _instrument = instrument;
        _lotStep = instrument.LotStep;
        _lotPlaces = instrument.LotStep > 0 ? Instrument.DecimalPlacesOfPowerOfTen(instrument.LotStep) : -1;
        _lotStepExact = ExactDecimal.FromDecimal(instrument.LotStep);
        _stepExact = ExactDecimal.FromDecimal(instrument.LotStep > 0 ? instrument.LotStep : 0.00000001m);
        _minQuantityExact = ExactDecimal.FromDecimal(instrument.MinQuantity);
        _minNotionalExact = ExactDecimal.FromDecimal(instrument.MinNotional);
    }

    /// <summary>The lot step.</summary>
    public ExactDecimal LotStep => _lotStepExact;

    /// <summary>The minimum notional.</summary>
    public ExactDecimal MinNotional => _minNotionalExact;

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
        while (q > 0 && q * unit > budget)
        {
            q -= step;
        }

        while ((q + step) * unit <= budget)
        {
            q += step;
        }

        return q;
    }
    /// <summary><see cref="RoundQuantityDown(decimal)"/>.</summary>
    public ExactDecimal RoundQuantityDown(ExactDecimal quantity) =>
        _lotStep <= 0 ? quantity
        : _lotPlaces >= 0 ? quantity.Round(_lotPlaces, MidpointRounding.ToNegativeInfinity)
        : ExactDecimal.FromDecimal(_instrument.RoundQuantityDown(quantity.ToDecimal()));

    /// <summary><see cref="PassesFilters(decimal, decimal)"/>.</summary>
    public bool PassesFilters(ExactDecimal quantity, ExactDecimal price) =>
        quantity.Sign > 0
        && OnLotGrid(quantity)
        && quantity >= _minQuantityExact
        && (price.Sign <= 0 || quantity * price >= _minNotionalExact);

    /// <summary><see cref="CheckOrder(decimal, decimal)"/>.</summary>
    public string? CheckOrder(ExactDecimal quantity, ExactDecimal price) =>
        PassesFilters(quantity, price) ? null : _instrument.CheckOrder(quantity.ToDecimal(), price.ToDecimal());

    /// <summary><see cref="QuantityForBudget(decimal, decimal, decimal)"/>: the double estimate through the same decimals.</summary>
    public ExactDecimal QuantityForBudget(ExactDecimal budget, ExactDecimal price, ExactDecimal cashFeeRate)
    {
        if (price.Sign <= 0 || budget.Sign <= 0)
        {
            return ExactDecimal.Zero;
        }

        var unit = price * (One + cashFeeRate);
        var step = _stepExact;
        var q = RoundQuantityDown(ExactDecimal.FromDecimal((decimal)(budget.ToDouble() / unit.ToDouble())));
        while (q.Sign > 0 && q * unit > budget)
        {
            q -= step;
        }

        while ((q + step) * unit <= budget)
        {
            q += step;
        }

        return q;
    }

    private bool OnLotGrid(ExactDecimal quantity)
    {
        if (_lotStep <= 0)
        {
            return true;
        }

        var magnitude = quantity.Abs();
        return RoundQuantityDown(magnitude) == magnitude;
    }
}
