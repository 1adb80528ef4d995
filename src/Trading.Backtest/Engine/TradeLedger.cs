using Trading.Backtest.Metrics;
using Trading.Backtest.Results;

namespace Trading.Backtest.Engine;

/// <summary>
/// Turns fills into round-trip trades. A trade opens when a fill leaves a flat position, grows with fills on the
/// same side, and closes when the position returns to zero; a fill that flips the position closes the trade with
/// the part that reaches zero and opens the next with the rest, splitting that fill's fee pro rata. Fees count at
/// their quote-asset value. A holding below one lot step counts as flat: a base-asset fee leaves such dust, which no
/// order can sell, so the trade closes when what is left cannot be traded (the dust stays in the holding).
/// </summary>
internal sealed class TradeLedger
{
    private readonly List<TradeRecord> _closed = [];
    private decimal _lotStep;
    private bool _keepTrades;
    private TradeStatistics _statistics;
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

    /// <param name="keepTrades">Keep a <see cref="TradeRecord"/> per closed trade (off in optimizer sweeps: only <see cref="Statistics"/>).</param>
    public TradeLedger(decimal lotStep, bool keepTrades = true) => Reset(lotStep, keepTrades);

    /// <summary>Empty again, as a new ledger (a run reuses its thread's previous one).</summary>
    public void Reset(decimal lotStep, bool keepTrades)
    {
        _closed.Clear();
        _lotStep = lotStep;
        _keepTrades = keepTrades;
        _statistics = default;
        _position = default;
        _side = default;
        _entryTime = default;
        _entryQty = default;
        _entryNotional = default;
        _exitQty = default;
        _exitNotional = default;
        _fees = default;
        _firstEntryPrice = default;
        _entryFills = default;
    }

    /// <summary>The closed trades in closing order; empty when the ledger keeps none. Copy them: the list is reused by the thread's next run.</summary>
    public IReadOnlyList<TradeRecord> Closed => _closed;

    /// <summary>The closed trades' statistics, kept records or not.</summary>
    public ref readonly TradeStatistics Statistics => ref _statistics;

    public int ClosedCount => _statistics.Count;

    public bool HasOpenTrade => !IsFlat;

    private bool IsFlat => _position == 0 || Math.Abs(_position) < _lotStep;

    public void Add(in FillAmounts fill, string reason)
    {
        var signed = fill.SignedQuantity;
        var fee = fill.FeeInQuote;
        var kept = fill.PositionChange - signed; // minus a base-asset fee
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
            Close(fill.Time, _exitQty == closing ? fill.Price : _exitNotional / _exitQty, reason);
            var rest = fill.Quantity - closing;
            if (rest > 0)
            {
                Open(fill.Time, Math.Sign(signed) * rest, rest, rest * fill.Price, fill.Price, fee - closingFee);
            }
        }
    }

    /// <summary>The open trade valued at <paramref name="mark"/>, as if closed there without a fee; null when flat.</summary>
    public TradeRecord? OpenTrade(decimal mark)
    {
        if (IsFlat)
        {
            return null;
        }

        // Mark the remaining quantity at the mark price; what was already reduced keeps its exit price.
        var exitQty = _exitQty + Math.Abs(_position);
        var exitNotional = _exitNotional + (Math.Abs(_position) * mark);
        var trade = Build(0, exitNotional / exitQty, "open");
        return trade with { ExitTime = null, ExitPrice = mark };
    }

    /// <param name="change">Signed change of the holding (a base-asset fee deducted); the dust already held is kept.</param>
    /// <param name="quantity">The quantity traded.</param>
    /// <param name="notional">quantity × price.</param>
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

    private void Close(long exitTime, decimal exitPrice, string reason)
    {
        var (entryPrice, pnl, returnPct) = Outcome(exitPrice);
        _statistics.Add(pnl, returnPct, exitTime - _entryTime);
        if (_keepTrades)
        {
            _closed.Add(new TradeRecord(_side, _entryTime, exitTime, _entryQty, entryPrice, exitPrice, pnl, returnPct, _fees, reason));
        }
    }

    private TradeRecord Build(long exitTime, decimal exitPrice, string reason)
    {
        var (entryPrice, pnl, returnPct) = Outcome(exitPrice);
        return new TradeRecord(_side, _entryTime, exitTime, _entryQty, entryPrice, exitPrice, pnl, returnPct, _fees, reason);
    }

    /// <summary>The trade's entry price, net PnL and return % when it exits at <paramref name="exitPrice"/>.</summary>
    private (decimal EntryPrice, decimal Pnl, double ReturnPct) Outcome(decimal exitPrice)
    {
        var entryPrice = _entryFills == 1 ? _firstEntryPrice : _entryNotional / _entryQty;
        var direction = _side == TradeSide.Long ? 1m : -1m;
        var pnl = (direction * (exitPrice - entryPrice) * _exitQty) - _fees;
        var returnPct = (double)pnl / (double)(entryPrice * _entryQty) * 100;
        return (entryPrice, pnl, returnPct);
    }
}
