using Trading.Backtest.Results;
using Trading.Core.Orders;

namespace Trading.Backtest.Engine;

/// <summary>
/// Turns fills into round-trip trades. A trade opens when a fill leaves a flat position, grows with fills on the
/// same side, and closes when the position returns to zero; a fill that flips the position closes the trade with
/// the part that reaches zero and opens the next with the rest, splitting that fill's fee pro rata.
/// </summary>
internal sealed class TradeLedger
{
    private readonly List<TradeRecord> _closed = [];
    private decimal _position;
    private TradeSide _side;
    private long _entryTime;
    private decimal _entryQty;
    private decimal _entryNotional;
    private decimal _exitQty;
    private decimal _exitNotional;
    private decimal _fees;
    private decimal _firstEntryPrice;
    private int _entryFills;

    public IReadOnlyList<TradeRecord> Closed => _closed;

    public bool HasOpenTrade => _position != 0;

    public void Add(in Fill fill, string reason)
    {
        var signed = fill.SignedQuantity;
        if (_position == 0)
        {
            Open(fill.Time, signed, fill.Price, fill.Fee);
            return;
        }

        if (Math.Sign(signed) == Math.Sign(_position))
        {
            _entryQty += fill.Quantity;
            _entryNotional += fill.Notional;
            _entryFills++;
            _fees += fill.Fee;
            _position += signed;
            return;
        }

        var closing = Math.Min(fill.Quantity, Math.Abs(_position));
        var closingFee = fill.Quantity == closing ? fill.Fee : fill.Fee * closing / fill.Quantity;
        _exitQty += closing;
        _exitNotional += closing * fill.Price;
        _fees += closingFee;
        _position += Math.Sign(signed) * closing;
        if (_position == 0)
        {
            _closed.Add(Build(fill.Time, _exitQty == closing ? fill.Price : _exitNotional / _exitQty, reason));
            var rest = fill.Quantity - closing;
            if (rest > 0)
            {
                Open(fill.Time, Math.Sign(signed) * rest, fill.Price, fill.Fee - closingFee);
            }
        }
    }

    /// <summary>The open trade valued at <paramref name="mark"/>, as if closed there without a fee; null when flat.</summary>
    public TradeRecord? OpenTrade(decimal mark)
    {
        if (_position == 0)
        {
            return null;
        }

        // Mark the remaining quantity at the mark price; what was already reduced keeps its exit price.
        var exitQty = _exitQty + Math.Abs(_position);
        var exitNotional = _exitNotional + (Math.Abs(_position) * mark);
        var trade = Build(0, exitNotional / exitQty, "open");
        return trade with { ExitTime = null, ExitPrice = mark };
    }

    private void Open(long time, decimal signed, decimal price, decimal fee)
    {
        _position = signed;
        _side = signed > 0 ? TradeSide.Long : TradeSide.Short;
        _entryTime = time;
        _entryQty = Math.Abs(signed);
        _entryNotional = _entryQty * price;
        _firstEntryPrice = price;
        _entryFills = 1;
        _exitQty = 0;
        _exitNotional = 0;
        _fees = fee;
    }

    private TradeRecord Build(long exitTime, decimal exitPrice, string reason)
    {
        var entryPrice = _entryFills == 1 ? _firstEntryPrice : _entryNotional / _entryQty;
        var direction = _side == TradeSide.Long ? 1m : -1m;
        var pnl = (direction * (exitPrice - entryPrice) * _exitQty) - _fees;
        var returnPct = (double)pnl / (double)(entryPrice * _entryQty) * 100;
        return new TradeRecord(_side, _entryTime, exitTime, _entryQty, entryPrice, exitPrice, pnl, returnPct, _fees, reason);
    }
}
