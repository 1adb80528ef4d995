using EventLoop;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Journal;
using Trading.Live.Orders;
using Trading.Live.Risk;

namespace Trading.Live.Engine;

/// <summary>
/// The engine's journal (docs/live-trading.md, "Journal and durability"): every order's intent, send, ack, fills,
/// cancel request and state changes, risk trips and position/balance snapshots go to the <see cref="JournalWriter"/>.
/// <para><b>The rule.</b> An order's place frame leaves only once its intent record is committed: <see cref="PlaceDurably"/>
/// appends the intent and holds the order in a <see cref="DurabilityGate{T}"/>; the writer's acknowledgement
/// (<see cref="OnJournalDurable"/>, on the loop thread) releases it to <see cref="SendPlace"/>. The loop thread never
/// waits on the disk. Every other record is appended and not waited for: a crash can lose the tail after the last
/// commit, which restart reconciliation recovers from the venue (the intent with its client order id is always there).</para>
/// <para><b>Failure.</b> A write failure trips the kill switch once (one log line, no new orders); orders still held
/// are refused, never sent undurable. A full ring (the disk behind by <see cref="JournalWriter.Capacity"/> records)
/// refuses the one intent.</para>
/// <para>Without a journal (<see cref="OpenJournal"/> not called) orders are sent at once, as before.</para>
/// </summary>
public sealed partial class LiveEngine
{
    private static readonly Callback<LiveEngine> OnSnapshotTick = (e, loop, c, in r) => e.SnapshotTick(r);

    /// <summary>Held orders: the sequence, and the market tick that led to it (0: none), so tick-to-order spans the disk wait.</summary>
    private readonly DurabilityGate<(long Sequence, long TickStart)> _gate = new();
    private readonly HashSet<long> _held = [];
    private readonly HashSet<long> _journaled = [];
    private readonly Completion _snapshotTimer = new();
    private JournalWriter? _journal;
    private bool _journalFailed;

    /// <summary>The journal this run writes, or null.</summary>
    public JournalWriter? Journal => _journal;

    /// <summary>
    /// Opens the journal at <paramref name="path"/> on this engine's loop, its acknowledgements routed to the gate.
    /// Call once, before <see cref="Start"/>; the caller disposes the writer after the loop has stopped.
    /// Throws <see cref="JournalLockedException"/> when another process holds it.
    /// </summary>
    public JournalWriter OpenJournal(string path)
    {
        if (_journal is not null || _phase != Phase.Created)
        {
            throw new InvalidOperationException("the journal is opened once, before the engine starts");
        }

        _journal = JournalWriter.Open(path, _loop, OnJournalDurable);
        return _journal;
    }

    /// <summary>Sends <paramref name="order"/> once its intent is durable (at once without a journal).</summary>
    private void PlaceDurably(LiveOrder order)
    {
        if (_journal is null)
        {
            SendPlace(order);
            return;
        }

        if (!_journal.TryAppend(JournalRecord.Intent(order, Now), out var position))
        {
            var why = _journal.Fault is null ? "journal is behind the disk: intent refused, not sent" : "journal failed: not sent";
            _orders.OnPlaceRejected(order.Sequence, why, Now);
            return;
        }

        _journaled.Add(order.Sequence);
        _held.Add(order.Sequence);
        _gate.Hold(position, (order.Sequence, _tickStart));
        ReleaseDurable(_journal.DurablePosition);
    }

    /// <summary>The writer's acknowledgement, on the loop thread: send what is durable, or stop on a failure.</summary>
    private void OnJournalDurable(long position, Exception? error)
    {
        if (error is null)
        {
            ReleaseDurable(position);
            return;
        }

        if (_journalFailed)
        {
            return;
        }

        _journalFailed = true;
        while (_gate.TryRelease(long.MaxValue, out var held))
        {
            var seq = held.Sequence;
            _held.Remove(seq);
            _orders.OnPlaceRejected(seq, "journal failed before the intent was on disk: not sent", Now);
        }

        var reason = $"journal {_journal!.Path} write failed ({error.Message}): no new orders";
        _risk.Trip(reason);
        TripKillSwitch(reason);
        MaybeFinishStop();
    }

    private void ReleaseDurable(long durable)
    {
        var tick = _tickStart;
        while (_gate.TryRelease(durable, out var held))
        {
            _held.Remove(held.Sequence);
            if (_orders.TryGet(held.Sequence, out var o) && !o.IsFinal)
            {
                _tickStart = held.TickStart;
                SendPlace(o);
            }
        }

        _tickStart = tick;
        LockstepCheck(); // the durability acknowledgement is not a connection callback: lockstep must look again
    }

    /// <summary>A cancel of an order whose intent is not yet durable: it never left, so it ends here.</summary>
    private bool CancelHeld(LiveOrder order)
    {
        if (!_held.Contains(order.Sequence))
        {
            return false;
        }

        _orders.OnPlaceRejected(order.Sequence, "canceled before it was sent (its intent was not yet on disk)", Now);
        MaybeFinishStop();
        return true;
    }

    private void Append(in JournalRecord record)
    {
        // Not waited for; a refusal here means the writer failed (OnJournalDurable stops the run) or is far behind.
        _journal?.TryAppend(record, out _);
    }

    private bool IsJournaled(LiveOrder order) => _journal is not null && _journaled.Contains(order.Sequence);

    private void JournalSent(LiveOrder order, long requestId)
    {
        if (IsJournaled(order))
        {
            Append(JournalRecord.Sent(order, requestId, Now));
        }
    }

    private void JournalAck(LiveOrder order)
    {
        if (IsJournaled(order))
        {
            Append(JournalRecord.Ack(order, Now));
        }
    }

    private void JournalCancelRequested(LiveOrder order, long requestId)
    {
        if (IsJournaled(order))
        {
            Append(JournalRecord.CancelRequested(order, requestId, Now));
        }
    }

    /// <summary>A state the order reached (final, Unknown, ...): <paramref name="reason"/> says why when known.</summary>
    private void JournalState(LiveOrder order, string? reason)
    {
        if (IsJournaled(order))
        {
            Append(JournalRecord.StateOf(order, order.State, reason, Now));
        }
    }

    /// <summary>The order manager moved <paramref name="sequence"/> to Unknown (no definite answer to its place request).</summary>
    private void JournalUnknown(long sequence, string why)
    {
        if (_orders.TryGet(sequence, out var o) && o.State == LiveOrderState.Unknown)
        {
            JournalState(o, why);
        }
    }

    /// <summary>One trade, keyed by its trade id (the journal ignores a repeat).</summary>
    private void JournalFill(LiveOrder order, in Fill fill, CommissionAsset asset, decimal commission)
    {
        if (!IsJournaled(order))
        {
            return;
        }

        Append(new JournalRecord
        {
            Kind = JournalRecordKind.Fill, Time = fill.Time, ClientOrderId = order.VenueId, Side = fill.Side,
            VenueOrderId = order.VenueOrderId, TradeId = fill.TradeId, LastQuantity = fill.Quantity, LastPrice = fill.Price,
            CumulativeQuantity = order.AppliedQuantity, Commission = commission, CommissionAsset = asset, IsMaker = fill.IsMaker,
            State = order.State == LiveOrderState.Filled ? LiveOrderState.Filled : LiveOrderState.PartiallyFilled,
        });
    }

    private void JournalRiskTrip(RiskRule rule, string message) => Append(JournalRecord.RiskTrip(rule, message, Now));

    private void JournalSnapshot() => Append(JournalRecord.Snapshot(_account.Position.Quantity, _account.Cash, WallNow()));

    /// <summary>Trading begins: the first snapshot, then one every <see cref="LiveSettings.SnapshotInterval"/>.</summary>
    private void JournalTradingBegins()
    {
        if (_journal is null)
        {
            return;
        }

        JournalSnapshot();
        _loop.Timer(_snapshotTimer, _settings.SnapshotInterval, this, OnSnapshotTick);
    }

    /// <summary>The run closes: the final snapshot (committed before the loop ends: the writer keeps it alive).</summary>
    private void JournalClosing()
    {
        if (_journal is null)
        {
            return;
        }

        _loop.Cancel(_snapshotTimer);
        if (_strategyStarted)
        {
            JournalSnapshot();
        }
    }

    private CallbackAction SnapshotTick(in CompletionResult r)
    {
        if (r.IsCanceled || _phase >= Phase.Closing)
        {
            return CallbackAction.Disarm;
        }

        JournalSnapshot();
        return CallbackAction.Rearm;
    }
}
