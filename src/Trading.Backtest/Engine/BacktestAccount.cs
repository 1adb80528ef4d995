using Trading.Core.Accounting;
using Trading.Core.Numerics;

namespace Trading.Backtest.Engine;

/// <summary>
/// The account of one backtest: <see cref="Portfolio"/>'s bookkeeping for its single instrument, operation for
/// operation (the same expressions in the same order, <see cref="Portfolio.Combine"/>'s included), in
/// <see cref="ExactDecimal"/>, so cash, fees, the position and equity come out identical to the decimals to the last
/// digit and in the same scale — which matters, since a decimal's conversion to double depends on its scale, not only
/// its value. Decimals are made only at the edges (<see cref="Cash"/>, <see cref="Position"/>, <see cref="Equity"/>).
/// What it saves is the per-fill symbol lookup and the decimal arithmetic.
/// </summary>
internal sealed class BacktestAccount
{
    private bool _marked;

    public BacktestAccount(decimal startingCash) => Reset(startingCash);

    public ExactDecimal CashExact { get; private set; }

    public ExactDecimal FeesPaidExact { get; private set; }

    /// <summary>The whole holding, dust below one lot included.</summary>
    public ExactDecimal Quantity { get; private set; }

    /// <summary>The volume-weighted entry price of <see cref="Quantity"/>, as <see cref="Position.AveragePrice"/>.</summary>
    public ExactDecimal AveragePrice { get; private set; }

    public ExactDecimal MarkExact { get; private set; }

    public decimal Cash => CashExact.ToDecimal();

    public decimal FeesPaid => FeesPaidExact.ToDecimal();

    /// <summary>The whole holding, dust below one lot included.</summary>
    public Position Position => new(Quantity.ToDecimal(), AveragePrice.ToDecimal());

    public decimal Mark => MarkExact.ToDecimal();

    /// <summary>As <see cref="Portfolio.Equity"/>: cash alone until the instrument has been traded or marked, then cash + quantity × mark.</summary>
    public decimal Equity => (_marked ? CashExact + (Quantity * MarkExact) : CashExact).ToDecimal();

    /// <summary>As a new account holding <paramref name="startingCash"/> (a run reuses its thread's previous one).</summary>
    public void Reset(decimal startingCash)
    {
        CashExact = ExactDecimal.FromDecimal(startingCash);
        FeesPaidExact = default;
        Quantity = default;
        AveragePrice = default;
        MarkExact = default;
        _marked = false;
    }

    /// <summary>As <see cref="Portfolio.Mark"/>.</summary>
    public void MarkAt(decimal price)
    {
        MarkExact = ExactDecimal.FromDecimal(price);
        _marked = true;
    }

    /// <summary>As <see cref="Portfolio.Apply"/>: books the fill and marks at its price (the realised PnL, which nothing reads, is not kept).</summary>
    public void Apply(in FillAmounts fill)
    {
        var q = fill.PositionChange;
        CashExact += fill.CashChange;
        FeesPaidExact += fill.FeeInQuote;
        Combine(q, fill.Price);
        MarkExact = fill.Price;
        _marked = true;
    }

    /// <summary><see cref="Portfolio.Combine"/>'s position (its division, for an average, done in decimal).</summary>
    private void Combine(ExactDecimal q, ExactDecimal price)
    {
        var held = Quantity;
        if (held.IsZero)
        {
            (Quantity, AveragePrice) = (q, price);
            return;
        }

        if (held.Sign == q.Sign)
        {
            var total = held + q;
            var weighted = (held.Abs() * AveragePrice) + (q.Abs() * price);
            (Quantity, AveragePrice) = (total, ExactDecimal.FromDecimal(weighted.ToDecimal() / total.Abs().ToDecimal()));
            return;
        }

        var remaining = held + q;
        if (remaining.IsZero)
        {
            (Quantity, AveragePrice) = (default, default);
            return;
        }

        // Still on the same side: the average entry of what is left is unchanged. Flipped: the rest opens at price.
        (Quantity, AveragePrice) = (remaining, remaining.Sign == held.Sign ? AveragePrice : price);
    }
}
