using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Orders;

namespace Trading.Live.Engine;

/// <summary>
/// One-cancels-other exits as native Binance order lists. The two legs are two orders of the order manager (each its
/// own client order id, state and events, as in the backtest), linked here, and leave together in one
/// <c>orderList.place.oco</c> once both intents are durable: the stop-market leg as STOP_LOSS, the limit leg as
/// LIMIT_MAKER (binance.md; <see cref="ApiRequestWriter.PlaceOco"/>). The venue then runs the pair: when one leg
/// triggers or trades it expires the other (an executionReport EXPIRED, <c>listStatus</c> ALL_DONE), and canceling
/// either leg cancels both. A refused list (an error answer, or <c>listStatus</c> REJECT) rejects both legs.
/// <para>Checked before anything leaves: the stop leg is a stop-market order and the take-profit leg a limit, on one
/// side with one quantity (a Binance list has one side and one quantity); each leg passes the exchange filters and the
/// risk gate (which counts two orders, as Binance does); a refusal of either refuses both, with the reason.</para>
/// </summary>
public sealed partial class LiveEngine
{
    /// <summary>Each OCO leg's sequence → the other leg's.</summary>
    private readonly Dictionary<long, long> _ocoPartner = [];

    /// <summary>Legs whose list has been handed to the venue client.</summary>
    private readonly HashSet<long> _ocoSent = [];

    private OcoOrderIds PlaceOcoPair(in OrderRequest stopLoss, in OrderRequest takeProfit)
    {
        var s = Normalize(stopLoss);
        var t = Normalize(takeProfit);
        var stop = _orders.Create(s, Now);
        var take = _orders.Create(t, Now);
        var ids = new OcoOrderIds(stop.Id, take.Id);
        var problem = CheckOcoShape(s, t) ?? CheckFilters(s) ?? CheckFilters(t);
        if (problem is not null)
        {
            RejectPair(stop, take, "oco: " + problem);
            return ids;
        }

        // Each leg against the orders already working (not the other leg: only one of them can ever fill).
        var (openBuy, openSell) = OpenQuantities(stop.Sequence, take.Sequence);
        foreach (var (leg, request, others) in new[] { (stop, s, _orders.OpenCount - 2), (take, t, _orders.OpenCount - 1) })
        {
            var check = _risk.Check(request, _lastPrice, _account.Position.Quantity, openBuy, openSell, others, Now);
            if (!check.Passed)
            {
                _observer.OnRisk(check.Rule, check.Reason!, tripped: false);
                JournalRiskTrip(check.Rule, check.Reason!);
                Log.Log(StrategyLogLevel.Warning, $"risk: oco {(leg == stop ? "stop" : "take-profit")} leg: {check.Reason}");
                RejectPair(stop, take, "risk: " + check.Reason);
                return ids;
            }
        }

        _ocoPartner[stop.Sequence] = take.Sequence;
        _ocoPartner[take.Sequence] = stop.Sequence;
        PlaceDurably(stop);
        PlaceDurably(take);
        return ids;
    }

    private static string? CheckOcoShape(in OrderRequest stop, in OrderRequest take)
    {
        if (stop.Type != OrderType.StopMarket || take.Type != OrderType.Limit)
        {
            return "the stop-loss leg must be a stop-market order and the take-profit leg a limit order";
        }

        if (stop.Side != take.Side)
        {
            return "both legs must be on the same side";
        }

        return stop.Quantity <= 0 || stop.Quantity != take.Quantity
            ? $"both legs must have the same base quantity (stop {stop.Quantity}, take-profit {take.Quantity})"
            : null;
    }

    private void RejectPair(LiveOrder stop, LiveOrder take, string reason)
    {
        _orders.OnPlaceRejected(stop.Sequence, reason, Now);
        _orders.OnPlaceRejected(take.Sequence, reason, Now);
    }

    /// <summary>
    /// SendPlace for an OCO leg: the list leaves once, with the second leg whose intent became durable (both are needed
    /// in one request); if the other leg ended before that (its intent refused), this one is refused too.
    /// </summary>
    private bool SendOcoLeg(LiveOrder order)
    {
        if (!_ocoPartner.TryGetValue(order.Sequence, out var partnerSequence))
        {
            return false;
        }

        if (_held.Contains(partnerSequence) || _ocoSent.Contains(order.Sequence))
        {
            return true; // the other leg's intent is not on disk yet (the list leaves with it), or the list already left
        }

        if (!_orders.TryGet(partnerSequence, out var partner) || partner.IsFinal)
        {
            _orders.OnPlaceRejected(order.Sequence, "oco: the other leg was refused, so this one is not sent", Now);
            return true;
        }

        var (stop, take) = order.Order.Type == OrderType.StopMarket ? (order, partner) : (partner, order);
        var id = _venue.PlaceOco(stop, take, VenueNow());
        if (id < 0)
        {
            RejectPair(stop, take, "not connected to the venue");
            return true;
        }

        _ocoSent.Add(stop.Sequence);
        _ocoSent.Add(take.Sequence);
        stop.PendingRequestId = id;
        take.PendingRequestId = id;
        Sent(stop, id);
        var tick = _tickStart;
        _tickStart = 0; // one frame left: one tick-to-order measurement
        Sent(take, id);
        _tickStart = tick;
        return true;
    }

    /// <summary>An OCO leg ended before its list left (canceled while its intent was held, refused): the other leg,
    /// still waiting to leave with it, is refused too — a list is never sent with one leg.</summary>
    private void OcoLegClosed(LiveOrder order)
    {
        if (!_ocoPartner.TryGetValue(order.Sequence, out var partner) || _ocoSent.Contains(order.Sequence))
        {
            return;
        }

        if (_orders.TryGet(partner, out var other) && !other.IsFinal)
        {
            _held.Remove(partner); // if still held, the gate's release finds it final and sends nothing
            _orders.OnPlaceRejected(partner, "oco: the other leg ended before the list was sent", Now);
        }
    }

    /// <summary>A cancel of an OCO leg whose other leg is already being canceled: the venue cancels the list as one.</summary>
    private bool CancelCoveredByPartner(LiveOrder order) =>
        _ocoPartner.TryGetValue(order.Sequence, out var partner) && _ocoSent.Contains(order.Sequence)
        && _orders.TryGet(partner, out var other) && other.State == LiveOrderState.PendingCancel;

    /// <summary>The answer to <c>orderList.place.oco</c> (ACK: the legs' states follow on the user data stream).</summary>
    private void OnOcoResponse(in PendingRequest request, ApiFrame frame)
    {
        var (stop, take) = Legs(request.Sequence);
        ClearOcoPending(stop, take, request.Id);
        if (frame.IsSuccess)
        {
            return;
        }

        if (IsUnknownOutcome(frame))
        {
            OcoUnknown(stop, take, $"venue: {frame.ErrorCode} {frame.ErrorMessage}");
            return;
        }

        var reason = $"venue: {frame.ErrorCode} {frame.ErrorMessage}";
        if (stop is not null)
        {
            _orders.OnPlaceRejected(stop.Sequence, reason, Now);
        }

        if (take is not null)
        {
            _orders.OnPlaceRejected(take.Sequence, reason, Now);
        }

        MaybeFinishStop();
    }

    /// <summary>No answer in time (or the connection ended): the list may exist; each leg is settled by order.status.</summary>
    private void OnOcoUnanswered(in PendingRequest request, string why)
    {
        var (stop, take) = Legs(request.Sequence);
        ClearOcoPending(stop, take, request.Id);
        OcoUnknown(stop, take, why);
        Log.Log(StrategyLogLevel.Warning, $"oco list of order {request.Sequence}: {why}; outcome unknown, will query");
    }

    /// <summary><c>listStatus</c>: a rejected list rejects both legs (their reports may not come). ALL_DONE: the legs' own
    /// reports say how each ended; a leg still open a status tick later (its report lost) is settled by order.status.</summary>
    private void OnListStatus(in ListStatus list)
    {
        if (!list.Rejected)
        {
            if (list.AllDone)
            {
                foreach (var member in new[] { list.Member0, list.Member1, list.Member2 }.AsSpan(0, Math.Min(list.MemberCount, ListStatus.MaxMembers)))
                {
                    if (member != 0 && _orders.TryGet(member, out var leg) && !leg.IsFinal)
                    {
                        _needsStatus.Add(member);
                    }
                }
            }

            return;
        }

        foreach (var member in new[] { list.Member0, list.Member1, list.Member2 }.AsSpan(0, Math.Min(list.MemberCount, ListStatus.MaxMembers)))
        {
            if (member != 0 && _orders.TryGet(member, out var o) && !o.IsFinal && o.AppliedQuantity == 0)
            {
                _orders.OnStatusNotFound(member, Now); // never placed: rejected
            }
        }

        MaybeFinishStop();
    }

    private void OcoUnknown(LiveOrder? stop, LiveOrder? take, string why)
    {
        foreach (var leg in new[] { stop, take })
        {
            if (leg is not null && !leg.IsFinal)
            {
                _orders.OnPlaceUnknown(leg.Sequence);
                JournalUnknown(leg.Sequence, why);
                SendStatus(leg);
            }
        }
    }

    private (LiveOrder? Stop, LiveOrder? Take) Legs(long stopSequence)
    {
        _orders.TryGet(stopSequence, out var stop);
        LiveOrder? take = null;
        if (_ocoPartner.TryGetValue(stopSequence, out var t))
        {
            _orders.TryGet(t, out take);
        }

        return (stop, take);
    }

    private static void ClearOcoPending(LiveOrder? stop, LiveOrder? take, long requestId)
    {
        if (stop is not null && stop.PendingRequestId == requestId)
        {
            stop.PendingRequestId = 0;
        }

        if (take is not null && take.PendingRequestId == requestId)
        {
            take.PendingRequestId = 0;
        }
    }

    private (decimal Buy, decimal Sell) OpenQuantities(long except1, long except2)
    {
        decimal buy = 0, sell = 0;
        foreach (var o in _orders.OpenLiveOrders)
        {
            if (o.Sequence == except1 || o.Sequence == except2)
            {
                continue;
            }

            if (o.Order.Side == OrderSide.Buy)
            {
                buy += o.Order.RemainingQuantity;
            }
            else
            {
                sell += o.Order.RemainingQuantity;
            }
        }

        return (buy, sell);
    }
}
