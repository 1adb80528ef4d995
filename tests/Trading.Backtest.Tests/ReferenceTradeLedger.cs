using Trading.Backtest.Engine;
using Trading.Backtest.Results;

namespace Trading.Backtest.Tests;

/// <summary>
/// The trade ledger's definition written plainly, as <see cref="TradeLedger"/> was before its per-fill shortcuts: every
/// decimal expression in full (Math.Sign, Math.Abs, Math.Min, the direction factor, the product for the return). The
/// ledger must give the same trades to the bit.
/// </summary>
internal sealed class ReferenceTradeLedger(decimal lotStep)
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

    public decimal Position => _position;

    public bool HasOpenTrade => !IsFlat;

    private bool IsFlat => _position == 0 || Math.Abs(_position) < lotStep;

    public void Add(in FillAmounts fill, string reason)
    {
        var signed = fill.SignedQuantity;
        var fee = fill.FeeInQuote;
        var kept = fill.PositionChange - signed;
        if (IsFlat)
        {
            Open(fill.Time, fill.PositionChange, fill.Quantity, fill.Notional, fill.Price, fee);
            return;
        }

        if (Math.Sign(signed) == Math.Sign(_position))
        {
            _entryQty += fill.Quantity;
            _entryNotional += fill.Notional;
            _entryFills++;
            _fees += fee;
            _position += signed + kept;
            return;
        }

        var closing = Math.Min(fill.Quantity, Math.Abs(_position));
        var closingFee = fill.Quantity == closing ? fee : fee * closing / fill.Quantity;
        _exitQty += closing;
        _exitNotional += closing * fill.Price;
        _fees += closingFee;
        _position += Math.Sign(signed) * closing;
        if (IsFlat)
        {
            _closed.Add(Build(fill.Time, _exitQty == closing ? fill.Price : _exitNotional / _exitQty, reason));
            var rest = fill.Quantity - closing;
            if (rest > 0)
            {
                Open(fill.Time, Math.Sign(signed) * rest, rest, rest * fill.Price, fill.Price, fee - closingFee);
            }
        }
    }

    public TradeRecord? OpenTrade(decimal mark)
    {
        if (IsFlat)
        {
            return null;
        }

        var exitQty = _exitQty + Math.Abs(_position);
        var exitNotional = _exitNotional + (Math.Abs(_position) * mark);
        return Build(0, exitNotional / exitQty, "open") with { ExitTime = null, ExitPrice = mark };
    }

    private void Open(long time, decimal change, decimal quantity, decimal notional, decimal price, decimal fee)
    {
        _position += change;
        _side = change > 0 ? TradeSide.Long : TradeSide.Short;
        _entryTime = time;
        _entryQty = quantity;
        _entryNotional = notional;
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
