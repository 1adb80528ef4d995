using EventLoop;
using Trading.Live.Orders;

namespace Trading.Live.Engine;

/// <summary>
/// Settling orders in doubt by query (docs/live-trading.md, "Connections"): a lost ack, a lost or reordered execution
/// report, an unknown outcome, a cancel that lost its race with a fill or never got an answer. Every open order with
/// nothing in flight whose state is in doubt gets the one request that settles it — never a second place:
/// <list type="bullet">
/// <item><see cref="LiveOrderState.Unknown"/> or <see cref="LiveOrderState.PendingNew"/> (its place request ended
/// without a definite answer, or a cancel was refused before any ack): <c>order.status</c>; −2013 ends it rejected
/// (never placed), anything else is adopted.</item>
/// <item><see cref="LiveOrderState.PendingCancel"/>: the cancel again (the venue answers with the canceled order, or
/// −2011 when it has already ended, which is then queried).</item>
/// <item>Behind the venue (the venue executed more than the reports brought, or a final report waits for fills that
/// never came): <c>myTrades</c>, each trade applied once — on the second pass that finds it so while running (a report
/// may be on its way), at once while stopping.</item>
/// </list>
/// While running this runs every second, on a timer that is armed only while an order is in doubt with nothing in flight
/// (<see cref="MaybeArmSettle"/>, after everything that can change an order's state: an answer, a request ending
/// unanswered or unsent, a user-data event; the heartbeat and the periodic check re-evaluate it too) and disarms itself
/// once nothing is: an idle engine, or one whose orders are all working and caught up, never wakes for it. While
/// stopping it runs on a 200 ms timer, and the stop waits (up to <see cref="LiveSettings.StopTimeout"/>, reconnecting
/// the WebSocket API if it drops) until nothing is in doubt. Orders with nothing in doubt (New or PartiallyFilled,
/// caught up) are checked by the periodic reconciliation.
/// </summary>
public sealed partial class LiveEngine
{
    private static readonly Callback<LiveEngine> OnSettleTimer = (e, loop, c, in r) => e.SettleTick(r);
    private static readonly Callback<LiveEngine> OnDoubtTimer = (e, loop, c, in r) => e.DoubtTick(r);
    private static readonly TimeSpan StopSettleInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan DoubtInterval = TimeSpan.FromSeconds(1);

    private readonly Completion _settleTimer = new();
    private readonly Completion _doubtTimer = new();
    private readonly HashSet<long> _behind = [];
    private readonly List<long> _behindNow = [];

    /// <summary>The venue executed more of <paramref name="o"/> than this run has applied (reports lost, or on their way).</summary>
    private static bool IsBehind(LiveOrder o) => o.VenueOrderId != 0 && o.VenueExecutedQuantity > o.AppliedQuantity;

    /// <summary>Whether the stop must wait for <paramref name="o"/>: anything not final unless kept, and a kept order
    /// only while its state is in doubt or a request about it is in flight.</summary>
    private bool Unresolved(LiveOrder o) =>
        !_settings.KeepOrders || o.Order.Type == Trading.Core.Orders.OrderType.Market || o.PendingRequestId != 0 || IsBehind(o)
        || o.State is LiveOrderState.PendingNew or LiveOrderState.PendingCancel or LiveOrderState.Unknown
        || _needsStatus.Contains(o.Sequence);

    private bool AnyUnresolved()
    {
        foreach (var o in _orders.OpenLiveOrders)
        {
            if (Unresolved(o))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One pass over the open orders with nothing in flight: the request that settles each one in doubt.</summary>
    private void Settle(bool stopping)
    {
        if (_paper is not null || !_api.IsOpen)
        {
            return; // a reconnect checks every open order once the user data stream is subscribed again
        }

        _behindNow.Clear();
        foreach (var o in _orders.OpenLiveOrders.ToArray())
        {
            if (o.IsFinal || o.PendingRequestId != 0 || _held.Contains(o.Sequence))
            {
                continue;
            }

            if (_needsStatus.Remove(o.Sequence) || o.State is LiveOrderState.Unknown or LiveOrderState.PendingNew)
            {
                SendStatus(o);
            }
            else if (o.State == LiveOrderState.PendingCancel)
            {
                ResendCancel(o);
            }
            else if (IsBehind(o))
            {
                if (stopping || _behind.Contains(o.Sequence))
                {
                    SendTrades(o);
                }
                else
                {
                    _behindNow.Add(o.Sequence);
                }
            }
            else if (stopping && !_settings.KeepOrders)
            {
                SendCancel(o); // in doubt when the stop canceled the rest (unknown, then found working)
            }
        }

        _behind.Clear();
        foreach (var s in _behindNow)
        {
            _behind.Add(s);
        }
    }

    /// <summary>Whether the running settle pass has work: an open order in doubt (unknown, pending, a cancel to repeat,
    /// a status owed, behind the venue) with nothing in flight and not held for the journal. One with a request in
    /// flight is left to that request's answer or timeout, each of which calls <see cref="MaybeArmSettle"/>.</summary>
    private bool AnyInDoubt()
    {
        foreach (var o in _orders.OpenLiveOrders)
        {
            if (o.IsFinal || o.PendingRequestId != 0 || _held.Contains(o.Sequence))
            {
                continue;
            }

            if (o.State is LiveOrderState.Unknown or LiveOrderState.PendingNew or LiveOrderState.PendingCancel
                || IsBehind(o) || _needsStatus.Contains(o.Sequence))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Arms the 1 s settle timer if an order is in doubt and it is not armed (cheap when it is, or nothing is open).</summary>
    private void MaybeArmSettle()
    {
        if (_phase == Phase.Running && _paper is null && _doubtTimer.State == CompletionState.Dead && _api.IsOpen
            && _orders.OpenCount > 0 && AnyInDoubt())
        {
            _loop.Timer(_doubtTimer, DoubtInterval, this, OnDoubtTimer);
        }
    }

    /// <summary>The running settle pass; rearms while something is still in doubt. With the WebSocket API down it stops:
    /// the reconnect checks every open order (and those answers arm it again).</summary>
    private CallbackAction DoubtTick(in CompletionResult r)
    {
        if (r.IsCanceled || _phase != Phase.Running)
        {
            return CallbackAction.Disarm;
        }

        Settle(stopping: false); // orders in doubt, by query, one request at a time per order
        return _api.IsOpen && (AnyInDoubt() || _behind.Count > 0) ? CallbackAction.Rearm : CallbackAction.Disarm;
    }

    private void StartStopSettling() => _loop.Timer(_settleTimer, StopSettleInterval, this, OnSettleTimer);

    private CallbackAction SettleTick(in CompletionResult r)
    {
        if (r.IsCanceled || _phase != Phase.Stopping)
        {
            return CallbackAction.Disarm;
        }

        Settle(stopping: true);
        MaybeFinishStop();
        return _phase == Phase.Stopping ? CallbackAction.Rearm : CallbackAction.Disarm;
    }
}
