using Trading.Backtest.Metrics;
using Trading.Backtest.Results;
using Trading.Core.Numerics;

namespace Trading.Backtest.Engine;

/// <summary>
/// Turns fills into round-trip trades. A trade opens when a fill leaves a flat position, grows with fills on the
/// same side, and closes when the position returns to zero; a fill that flips the position closes the trade with
/// the part that reaches zero and opens the next with the rest, splitting that fill's fee pro rata. Fees count at
/// their quote-asset value. A holding below one lot step counts as flat: a base-asset fee leaves such dust, which no
/// order can sell, so the trade closes when what is left cannot be traded (the dust stays in the holding).
/// Amounts are <see cref="ExactDecimal"/>, the same expressions as the decimals they replace (so the same bits); the
/// divisions (averages over several fills, a split fee) are done in decimal, and decimals are made for the records.
/// </summary>
internal sealed class TradeLedger
{
    private readonly List<TradeRecord> _closed = [];
    private ExactDecimal _lotStep;
    private bool _keepTrades;
    private TradeStatistics _statistics;
    private ExactDecimal _position;
    private TradeSide _side;
    private long _entryTime;
    private ExactDecimal _entryQty;
    private ExactDecimal _entryNotional;
    private ExactDecimal _exitQty;
    private ExactDecimal _exitNotional;
    private ExactDecimal _fees;
    private ExactDecimal _firstEntryPrice;
    private int _entryFills;

    /// <param name="keepTrades">Keep a <see cref="TradeRecord"/> per closed trade (off in optimizer sweeps: only <see cref="Statistics"/>).</param>
    public TradeLedger(decimal lotStep, bool keepTrades = true) => Reset(lotStep, keepTrades);

    /// <summary>Empty again, as a new ledger (a run reuses its thread's previous one).</summary>
    public void Reset(decimal lotStep, bool keepTrades)
    {
        _closed.Clear();
        _lotStep = ExactDecimal.FromDecimal(lotStep);
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

    private bool IsFlat => _position.IsZero || _position.Abs() < _lotStep;

    public void Add(in FillAmounts fill, string reason)
    {
        var signed = fill.SignedQuantity;
        var fee = fill.FeeInQuote;
        var kept = fill.PositionChange - signed; // minus a base-asset fee
        if (IsFlat)
        {
            Open(fill.Time, fill.PositionChange, fill.Quantity, fill.Price, fee);
            return;
        }

        if (signed.Sign == _position.Sign)
        {
            _entryQty += fill.Quantity;
            _entryNotional += fill.Notional;
            _entryFills++;
            _fees += fee;
            _position += signed + kept;
            return;
        }

        var closing = ExactDecimal.Min(fill.Quantity, _position.Abs());
        var closingFee = fill.Quantity == closing ? fee : Divide(fee * closing, fill.Quantity);
        _exitQty += closing;
        _exitNotional += closing * fill.Price;
        _fees += closingFee;
        var direction = ExactDecimal.FromInt64(signed.Sign);
        _position += direction * closing;
        if (IsFlat)
        {
            Close(fill.Time, _exitQty == closing ? fill.Price : Divide(_exitNotional, _exitQty), reason);
            var rest = fill.Quantity - closing;
            if (rest.Sign > 0)
            {
                Open(fill.Time, direction * rest, rest, fill.Price, fee - closingFee);
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
        var exactMark = ExactDecimal.FromDecimal(mark);
        var exitQty = _exitQty + _position.Abs();
        var exitNotional = _exitNotional + (_position.Abs() * exactMark);
        var trade = Build(0, Divide(exitNotional, exitQty), "open");
        return trade with { ExitTime = null, ExitPrice = mark };
    }

    /// <param name="change">Signed change of the holding (a base-asset fee deducted); the dust already held is kept.</param>
    /// <param name="quantity">The quantity traded.</param>
    private void Open(long time, ExactDecimal change, ExactDecimal quantity, ExactDecimal price, ExactDecimal fee)
    {
        _position += change;
        _side = change.Sign > 0 ? TradeSide.Long : TradeSide.Short;
        _entryTime = time;
        _entryQty = quantity;
        _entryNotional = _entryQty * price;
        _firstEntryPrice = price;
        _entryFills = 1;
        _exitQty = ExactDecimal.Zero;
        _exitNotional = ExactDecimal.Zero;
        _fees = fee;
    }

    private void Close(long exitTime, ExactDecimal exitPrice, string reason)
    {
        var (entryPrice, pnl, returnPct) = Outcome(exitPrice);
        var pnlDecimal = pnl.ToDecimal();
        _statistics.Add(pnlDecimal, returnPct, exitTime - _entryTime);
        if (_keepTrades)
        {
            _closed.Add(new TradeRecord(_side, _entryTime, exitTime, _entryQty.ToDecimal(), entryPrice.ToDecimal(), exitPrice.ToDecimal(), pnlDecimal, returnPct, _fees.ToDecimal(), reason));
        }
    }

    private TradeRecord Build(long exitTime, ExactDecimal exitPrice, string reason)
    {
        var (entryPrice, pnl, returnPct) = Outcome(exitPrice);
        return new TradeRecord(_side, _entryTime, exitTime, _entryQty.ToDecimal(), entryPrice.ToDecimal(), exitPrice.ToDecimal(), pnl.ToDecimal(), returnPct, _fees.ToDecimal(), reason);
    }

    /// <summary>A decimal division (it rounds at 28 digits: not done in integers).</summary>
    private static ExactDecimal Divide(ExactDecimal a, ExactDecimal b) => ExactDecimal.FromDecimal(a.ToDecimal() / b.ToDecimal());

    private static readonly ExactDecimal Long = ExactDecimal.FromInt64(1);
    private static readonly ExactDecimal Short = ExactDecimal.FromInt64(-1);

    /// <summary>The trade's entry price, net PnL and return % when it exits at <paramref name="exitPrice"/>.</summary>
    private (ExactDecimal EntryPrice, ExactDecimal Pnl, double ReturnPct) Outcome(ExactDecimal exitPrice)
    {
        var entryPrice = _entryFills == 1 ? _firstEntryPrice : Divide(_entryNotional, _entryQty);
        var direction = _side == TradeSide.Long ? Long : Short;
        var pnl = (direction * (exitPrice - entryPrice) * _exitQty) - _fees;
        var returnPct = pnl.ToDouble() / (entryPrice * _entryQty).ToDouble() * 100;
        return (entryPrice, pnl, returnPct);
    }
}
