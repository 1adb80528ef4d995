using Trading.Core.Orders;

namespace Trading.Core.Accounting;

/// <summary>
/// Cash in one quote asset and net positions per symbol, with realised PnL and fees. Accounting is exact
/// (<see cref="decimal"/>): a buy pays price × quantity + fee from cash, a sell receives price × quantity − fee,
/// so a short sale adds its proceeds to cash and equity = cash + Σ quantity × mark stays right for shorts too.
/// A fee charged in the base asset (<see cref="Fill.FeeInBase"/>) comes out of the position instead of cash.
/// Realised PnL is gross of fees; <see cref="FeesPaid"/> holds the fees, valued in the quote asset. Not thread-safe.
/// </summary>
public sealed class Portfolio
{
    private readonly Dictionary<string, Holding> _holdings = new(StringComparer.Ordinal);

    public Portfolio(decimal startingCash)
    {
        StartingCash = startingCash;
        Cash = startingCash;
    }

    public decimal StartingCash { get; }

    public decimal Cash { get; private set; }

    /// <summary>Sum of closed quantity × (exit − entry), signed for shorts; fees not deducted.</summary>
    public decimal RealizedPnl { get; private set; }

    public decimal FeesPaid { get; private set; }

    public Position GetPosition(string symbol) =>
        _holdings.TryGetValue(symbol, out var h) ? h.Position : default;

    /// <summary>Last mark price set for <paramref name="symbol"/> (zero when never marked).</summary>
    public decimal GetMark(string symbol) => _holdings.TryGetValue(symbol, out var h) ? h.Mark : 0;

    /// <summary>Sets the price open positions in <paramref name="symbol"/> are valued at.</summary>
    public void Mark(string symbol, decimal price) => Get(symbol).Mark = price;

    /// <summary>Cash + Σ quantity × mark over all positions.</summary>
    public decimal Equity
    {
        get
        {
            var equity = Cash;
            foreach (var h in _holdings.Values)
            {
                equity += h.Position.Quantity * h.Mark;
            }

            return equity;
        }
    }

    /// <summary>Σ (mark − average) × quantity over all positions.</summary>
    public decimal UnrealizedPnl
    {
        get
        {
            var pnl = 0m;
            foreach (var h in _holdings.Values)
            {
                pnl += h.Position.UnrealizedPnl(h.Mark);
            }

            return pnl;
        }
    }

    /// <summary>
    /// Books a fill: moves cash, updates the position (average price on increases, realised PnL on reductions,
    /// a flip opens the remainder at the fill price) and marks the symbol at the fill price.
    /// Returns the PnL this fill realised, gross of fees.
    /// </summary>
    public decimal Apply(string symbol, in Fill fill)
    {
        var h = Get(symbol);
        var q = fill.PositionChange;
        Cash += fill.CashChange;
        FeesPaid += fill.FeeInQuote;
        var (position, realized) = Combine(h.Position, q, fill.Price);
        h.Position = position;
        h.Mark = fill.Price;
        RealizedPnl += realized;
        return realized;
    }

    /// <summary>The position after adding signed quantity <paramref name="q"/> at <paramref name="price"/>, and the PnL that realises.</summary>
    public static (Position Position, decimal Realized) Combine(Position current, decimal q, decimal price)
    {
        var held = current.Quantity;
        if (held == 0)
        {
            return (new Position(q, price), 0m);
        }

        if (Math.Sign(held) == Math.Sign(q))
        {
            var total = held + q;
            var avg = ((Math.Abs(held) * current.AveragePrice) + (Math.Abs(q) * price)) / Math.Abs(total);
            return (new Position(total, avg), 0m);
        }

        var closed = Math.Min(Math.Abs(q), Math.Abs(held));
        var realized = closed * (price - current.AveragePrice) * Math.Sign(held);
        var remaining = held + q;
        if (remaining == 0)
        {
            return (default, realized);
        }

        // Still on the same side: the average entry of what is left is unchanged. Flipped: the rest opens at price.
        var average = Math.Sign(remaining) == Math.Sign(held) ? current.AveragePrice : price;
        return (new Position(remaining, average), realized);
    }

    private Holding Get(string symbol)
    {
        if (!_holdings.TryGetValue(symbol, out var h))
        {
            h = new Holding();
            _holdings.Add(symbol, h);
        }

        return h;
    }

    private sealed class Holding
    {
        public Position Position;
        public decimal Mark;
    }
}
