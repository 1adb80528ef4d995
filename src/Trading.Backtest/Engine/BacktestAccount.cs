using Trading.Core.Accounting;

namespace Trading.Backtest.Engine;

/// <summary>
/// The account of one backtest: <see cref="Portfolio"/>'s bookkeeping for its single instrument, operation for
/// operation (the same decimal expressions in the same order, <see cref="Portfolio.Combine"/>'s for the position),
/// so cash, fees, the position and equity come out identical to the last digit and in the same decimal scale — which
/// matters, since a decimal's conversion to double depends on its scale, not only its value. What it saves is the
/// per-fill symbol lookup (two string-keyed dictionary reads per fill).
/// </summary>
internal sealed class BacktestAccount
{
    private bool _marked;

    public BacktestAccount(decimal startingCash) => Reset(startingCash);

    public decimal Cash { get; private set; }

    private decimal _feesPaid;

    public decimal FeesPaid => _feesPaid;

    /// <summary>The whole holding, dust below one lot included.</summary>
    public Position Position { get; private set; }

    public decimal Mark { get; private set; }

    /// <summary>As <see cref="Portfolio.Equity"/>: cash alone until the instrument has been traded or marked, then cash + quantity × mark.</summary>
    public decimal Equity => _marked ? Cash + (Position.Quantity * Mark) : Cash;

    /// <summary>As a new account holding <paramref name="startingCash"/> (a run reuses its thread's previous one).</summary>
    public void Reset(decimal startingCash)
    {
        Cash = startingCash;
        _feesPaid = default;
        Position = default;
        Mark = default;
        _marked = false;
    }

    /// <summary>As <see cref="Portfolio.Mark"/>.</summary>
    public void MarkAt(decimal price)
    {
        Mark = price;
        _marked = true;
    }

    /// <summary>As <see cref="Portfolio.Apply"/>: books the fill and marks at its price (the realised PnL, which nothing reads, is not kept).</summary>
    public void Apply(in FillAmounts fill)
    {
        var q = fill.PositionChange;
        Cash += fill.CashChange;
        var fee = fill.FeeInQuote;
        if (!Results.DecimalParts.LeavesUnchanged(in _feesPaid, in fee))
        {
            _feesPaid += fee;
        }

        Position = Combine(Position, q, fill.Price);
        Mark = fill.Price;
        _marked = true;
    }

    /// <summary>
    /// <see cref="Portfolio.Combine"/>'s position, expression for expression, without the realised PnL it also works
    /// out on a reducing fill (two multiplications, a subtraction and a minimum nothing here reads).
    /// </summary>
    internal static Position Combine(Position current, decimal q, decimal price)
    {
        var held = current.Quantity;
        if (decimal.Sign(held) == 0)
        {
            return new Position(q, price);
        }

        if (Math.Sign(held) == Math.Sign(q))
        {
            var total = held + q;
            var avg = ((Math.Abs(held) * current.AveragePrice) + (Math.Abs(q) * price)) / Math.Abs(total);
            return new Position(total, avg);
        }

        var remaining = held + q;
        if (decimal.Sign(remaining) == 0)
        {
            return default;
        }

        var average = Math.Sign(remaining) == Math.Sign(held) ? current.AveragePrice : price;
        return new Position(remaining, average);
    }
}
