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
    /// <summary>The closed trades, kept (when asked) as reference-free rows; replaced, not cleared, once handed out.</summary>
    private ChunkedLog<TradeRow> _closed = new();

    /// <summary>The exit reasons the rows index; <see cref="_reasonIndex"/> finds a reason seen before.</summary>
    private List<string> _reasons = [];
    private readonly Dictionary<string, int> _reasonIndex = new(StringComparer.Ordinal);
    private string? _lastReason;
    private int _lastReasonIndex;
    private decimal _lotStep;
    private bool _lotStepPositive;
    private bool _keepTrades;
    private TradeStatistics _statistics;
    private decimal _position;

    /// <summary><see cref="FlatNow"/> of the current position, worked out where the position changes (and known there after a full close).</summary>
    private bool _flat;
    private TradeSide _side;
    private long _entryTime;
    private decimal _entryQty;
    private decimal _entryNotional;
    private decimal _exitQty;
    private decimal _exitNotional;
    private decimal _fees;
    private decimal _firstEntryPrice;
    private int _entryFills;

    /// <summary>The open trade's reducing fills so far, counted while <see cref="_plain"/>.</summary>
    private int _exitFills;

    /// <summary>
    /// Every reducing fill of the open trade had a positive quantity, so <see cref="Reduce"/>'s shortcuts hold (see
    /// there); a fill of zero or negative quantity (never an engine fill) clears it, and the trade goes on through
    /// <see cref="ReduceAny"/>, the ledger's expressions written out in full.
    /// </summary>
    private bool _plain;

    /// <summary>The single entry fill's notional is quantity × price (a positive quantity's, by <see cref="FillAmounts.Notional"/>'s contract).</summary>
    private bool _entryIsProduct;

    /// <param name="keepTrades">Keep a <see cref="TradeRecord"/> per closed trade (off in optimizer sweeps: only <see cref="Statistics"/>).</param>
    public TradeLedger(decimal lotStep, bool keepTrades = true) => Reset(lotStep, keepTrades);

    /// <summary>Empty again, as a new ledger (a run reuses its thread's previous one).</summary>
    public void Reset(decimal lotStep, bool keepTrades)
    {
        if (_closed.Count != 0)
        {
            _closed = new ChunkedLog<TradeRow>();
        }

        ForgetReasons();
        _lotStep = lotStep;
        _lotStepPositive = lotStep > 0;
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
        _exitFills = default;
        _plain = default;
        _entryIsProduct = default;
        _flat = FlatNow();
    }

    /// <summary>
    /// The closed trades in closing order; empty when the ledger keeps none. A view of the ledger's rows as they are
    /// now: read it before the ledger takes another fill, <see cref="Reset"/> or <see cref="TakeTrades"/>.
    /// </summary>
    public IReadOnlyList<TradeRecord> Closed => new TradeList(_closed, [.. _reasons], null);

    /// <summary>
    /// The closed trades and then <paramref name="open"/> (if not null), handed out for good: the ledger keeps adding
    /// to new rows from here on, so the list never changes (the thread's next run reuses the ledger).
    /// </summary>
    public IReadOnlyList<TradeRecord> TakeTrades(TradeRecord? open)
    {
        var trades = new TradeList(_closed, [.. _reasons], open);
        _closed = new ChunkedLog<TradeRow>();
        _reasons = [];
        ForgetReasons();
        return trades;
    }

    /// <summary>The closed trades' statistics, kept records or not.</summary>
    public ref readonly TradeStatistics Statistics => ref _statistics;

    public int ClosedCount => _statistics.Count;

    public bool HasOpenTrade => !_flat;

    /// <summary>
    /// Whether the position counts as flat: position == 0 || |position| &lt; lot step. With a positive lot step the first test is implied by the second
    /// (|0| &lt; step), so one comparison instead of two.
    /// </summary>
    private bool FlatNow()
    {
        var held = Math.Abs(_position);
        return _lotStepPositive ? DecimalParts.Compare(in held, in _lotStep) < 0 : _position == 0 || held < _lotStep;
    }

    /// <remarks>
    /// Trap: every result must stay bit for bit what the plain expressions give (a decimal's scale shows in its double
    /// and its text), so each shortcut below and in <see cref="Reduce"/> replaces an operation only where its result is
    /// known to the bit (each such identity is checked by a test on random decimals).
    /// </remarks>
    public void Add(in FillAmounts fill, string reason)
    {
        if (_flat)
        {
            Open(fill.Time, fill.PositionChange, fill.Quantity, fill.Notional, fill.Price, fill.FeeInQuote);
            return;
        }

        var signed = fill.SignedQuantity;
        var sign = Math.Sign(signed);
        if (sign == Math.Sign(_position))
        {
            _entryQty += fill.Quantity;
            _entryNotional += fill.Notional;
            _entryFills++;
            _fees += fill.FeeInQuote;
            // position += signed + (PositionChange − signed), the holding's change less a base-asset fee. Without a
            // base fee PositionChange is signed itself, and signed + (signed − signed) is signed to the bit (signed is
            // not zero here: its sign is the position's).
            _position += fill.FeeInBase ? signed + (fill.PositionChange - signed) : signed;
            _flat = FlatNow();
            return;
        }

        if (_plain && Math.Sign(fill.Quantity) > 0)
        {
            Reduce(in fill, sign, reason);
        }
        else
        {
            ReduceAny(in fill, reason);
        }
    }

    /// <summary>The open trade valued at <paramref name="mark"/>, as if closed there without a fee; null when flat.</summary>
    public TradeRecord? OpenTrade(decimal mark)
    {
        if (_flat)
        {
            return null;
        }

        // Mark the remaining quantity at the mark price; what was already reduced keeps its exit price.
        var exitQty = _exitQty + Math.Abs(_position);
        var exitNotional = _exitNotional + (Math.Abs(_position) * mark);
        var trade = Build(0, exitNotional / exitQty, "open");
        return trade with { ExitTime = null, ExitPrice = mark };
    }

    /// <summary>
    /// A fill against the open position, of positive quantity, every earlier reducing fill of the trade too: <see
    /// cref="ReduceAny"/>'s expressions with the operations whose results are known left out. With q = the fill's
    /// quantity and h = |position| (both positive), one comparison of q and h gives Math.Min(q, h) (h on a tie, as
    /// Math.Min returns), q == closing (q ≤ h), rest > 0 (q > h), and whether the position reaches zero (q ≥ h: it
    /// becomes position − position, zero; else the lot-step test is still needed). Sign(signed) × closing is ±closing
    /// (±1 × x is ±x to the bit), and on a full close position + (−position) is a zero with the position's sign and scale.
    /// The first reducing fill's exit sums are 0 + x, which is x to the bit for a positive x,
    /// and the exit quantity equals that fill's closing quantity exactly when the fill is the trade's first exit (later
    /// ones add a positive amount). The closing notional is the fill's own when closing is the quantity to the bit.
    /// </summary>
    private void Reduce(in FillAmounts fill, int sign, string reason)
    {
        var quantity = fill.Quantity;
        var held = Math.Abs(_position);
        var order = DecimalParts.Compare(in quantity, in held);
        var closing = order < 0 ? quantity : held;
        var fee = fill.FeeInQuote;
        var closingFee = order <= 0 ? fee : fee * closing / quantity;
        // closing × price is the fill's notional (quantity × price by its contract) when closing is the quantity's bits.
        var closingNotional = order < 0 || DecimalParts.SameBits(in quantity, in held) ? fill.Notional : closing * fill.Price;
        if (_exitFills++ == 0)
        {
            _exitQty = closing;
            _exitNotional = closingNotional;
        }
        else
        {
            _exitQty += closing;
            _exitNotional += closingNotional;
        }

        if (!DecimalParts.LeavesUnchanged(in _fees, in closingFee))
        {
            _fees += closingFee;
        }

        if (order >= 0)
        {
            // position + (−position), which is ±closing here: a zero with the position's sign and scale, flat.
            _position = new decimal(0, 0, 0, decimal.IsNegative(_position), _position.Scale);
            _flat = true;
        }
        else
        {
            _position += sign < 0 ? -closing : closing;
            _flat = FlatNow();
        }

        if (_flat)
        {
            Close(fill.Time, _exitFills == 1 ? fill.Price : _exitNotional / _exitQty, reason);
            if (order > 0)
            {
                var rest = quantity - closing;
                Open(fill.Time, sign < 0 ? -rest : rest, rest, rest * fill.Price, fill.Price, fee - closingFee);
            }
        }
    }

    /// <summary>A fill against the open position, whatever its quantity: the ledger's definition, expression for expression.</summary>
    private void ReduceAny(in FillAmounts fill, string reason)
    {
        _plain = false;
        var signed = fill.SignedQuantity;
        var fee = fill.FeeInQuote;
        var closing = Math.Min(fill.Quantity, Math.Abs(_position));
        var closingFee = fill.Quantity == closing ? fee : fee * closing / fill.Quantity;
        _exitQty += closing;
        _exitNotional += closing * fill.Price;
        _fees += closingFee;
        _position += Math.Sign(signed) * closing;
        _flat = FlatNow();
        if (_flat)
        {
            Close(fill.Time, _exitQty == closing ? fill.Price : _exitNotional / _exitQty, reason);
            var rest = fill.Quantity - closing;
            if (rest > 0)
            {
                Open(fill.Time, Math.Sign(signed) * rest, rest, rest * fill.Price, fill.Price, fee - closingFee);
            }
        }
    }

    /// <param name="change">Signed change of the holding (a base-asset fee deducted); the dust already held is kept.</param>
    /// <param name="quantity">The quantity traded.</param>
    /// <param name="notional">quantity × price.</param>
    private void Open(long time, decimal change, decimal quantity, decimal notional, decimal price, decimal fee)
    {
        // A zero position (after a full close) plus a non-zero change of at least its scale is the change to the bit.
        ref readonly var held = ref DecimalParts.Of(in _position);
        ref readonly var delta = ref DecimalParts.Of(in change);
        if (held.IsZero && !delta.IsZero && held.Scale <= delta.Scale)
        {
            _position = change;
        }
        else
        {
            _position += change;
        }

        _flat = FlatNow();
        _side = Math.Sign(change) > 0 ? TradeSide.Long : TradeSide.Short;
        _entryTime = time;
        _entryQty = quantity;
        _entryNotional = notional;
        _firstEntryPrice = price;
        _entryFills = 1;
        _entryIsProduct = Math.Sign(quantity) > 0;
        _exitQty = 0;
        _exitNotional = 0;
        _exitFills = 0;
        _plain = true;
        _fees = fee;
    }

    private void Close(long exitTime, decimal exitPrice, string reason)
    {
        var (entryPrice, pnl, pnlValue, returnPct) = Outcome(exitPrice);
        _statistics.Add(pnlValue, returnPct, exitTime - _entryTime);
        if (_keepTrades)
        {
            _closed.Add(new TradeRow(_side, _entryTime, exitTime, _entryQty, entryPrice, exitPrice, pnl, returnPct, _fees, ReasonIndex(reason)));
        }
    }

    /// <summary>The index of <paramref name="reason"/> in the rows' reasons (added when new): the last one's at once, a run's few others by lookup.</summary>
    private int ReasonIndex(string reason)
    {
        if (ReferenceEquals(reason, _lastReason))
        {
            return _lastReasonIndex;
        }

        if (!_reasonIndex.TryGetValue(reason, out var index))
        {
            index = _reasons.Count;
            _reasons.Add(reason);
            _reasonIndex.Add(reason, index);
        }

        _lastReason = reason;
        _lastReasonIndex = index;
        return index;
    }

    private void ForgetReasons()
    {
        _reasons.Clear();
        _reasonIndex.Clear();
        _lastReason = null;
        _lastReasonIndex = 0;
    }

    private TradeRecord Build(long exitTime, decimal exitPrice, string reason)
    {
        var (entryPrice, pnl, _, returnPct) = Outcome(exitPrice);
        return new TradeRecord(_side, _entryTime, exitTime, _entryQty, entryPrice, exitPrice, pnl, returnPct, _fees, reason);
    }

    /// <summary>
    /// The trade's entry price, net PnL (and as a double) and return % when it exits at <paramref name="exitPrice"/>:
    /// entry = notional / quantity (the price itself for one entry fill), PnL = direction × (exit − entry) × exit
    /// quantity − fees, return = PnL / (entry × quantity) × 100.
    /// </summary>
    private (decimal EntryPrice, decimal Pnl, double PnlValue, double ReturnPct) Outcome(decimal exitPrice)
    {
        var single = _entryFills == 1;
        var entryPrice = single ? _firstEntryPrice : _entryNotional / _entryQty;
        // direction × move: 1 × x is x and −1 × x is −x to the bit (a zero's sign included).
        var move = exitPrice - entryPrice;
        var pnl = ((_side == TradeSide.Long ? move : -move) * _exitQty) - _fees;
        var pnlValue = (double)pnl;
        // One entry fill: entry × quantity is price × quantity, the notional it was opened with (decimal
        // multiplication is commutative to the bit).
        var entryValue = single && _entryIsProduct ? _entryNotional : entryPrice * _entryQty;
        var returnPct = pnlValue / (double)entryValue * 100;
        return (entryPrice, pnl, pnlValue, returnPct);
    }
}
