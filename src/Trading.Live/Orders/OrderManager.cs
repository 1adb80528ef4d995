using System.Runtime.InteropServices;
using Trading.Core.Orders;
using Trading.Live.Binance;

namespace Trading.Live.Orders;

/// <summary>
/// The orders of one run and their state machine (<see cref="LiveOrderState"/>), fed by venue answers and execution
/// reports, on the loop thread (no locks: one thread owns it).
/// <para>Idempotent by construction: a fill is applied once per trade id, so a duplicate report changes nothing; a
/// report older than what is known (a NEW after the fill, a second CANCELED) changes nothing; a final report that
/// arrives before the fills it counts (its cumulative quantity <c>z</c> is ahead of the fills applied) is held until
/// they have arrived, so the order ends filled-then-canceled in that order whatever order the wire delivered.</para>
/// <para>An order whose place request got no definite answer becomes <see cref="LiveOrderState.Unknown"/>; the engine
/// settles it with <c>order.status</c> (<see cref="OnStatus"/> / <see cref="OnStatusNotFound"/>) and never sends it again.</para>
/// <para>Trap: a quote-sized market order (Binance's quoteOrderQty) is assumed to fill in one execution, as the
/// simulator fills it; a second partial fill of one is counted in <see cref="Anomalies"/> and not applied.</para>
/// </summary>
public sealed class OrderManager
{
    private readonly Dictionary<long, LiveOrder> _orders = [];
    private readonly List<Order> _open = [];
    private readonly List<LiveOrder> _openLive = [];
    private readonly IOrderListener _listener;
    private readonly string _symbol;
    private long _sequence;

    public OrderManager(ClientOrderIdCodec ids, string symbol, IOrderListener listener)
    {
        Ids = ids;
        _symbol = symbol;
        _listener = listener;
    }

    public ClientOrderIdCodec Ids { get; }

    /// <summary>Orders not in a final state, oldest first (the strategy's <c>OpenOrders</c>). Valid until the next change.</summary>
    public ReadOnlySpan<Order> OpenOrders => CollectionsMarshal.AsSpan(_open);

    /// <summary>The live side of <see cref="OpenOrders"/>, same order.</summary>
    public ReadOnlySpan<LiveOrder> OpenLiveOrders => CollectionsMarshal.AsSpan(_openLive);

    public int OpenCount => _open.Count;

    /// <summary>Every order of the run, final ones included.</summary>
    public IReadOnlyCollection<LiveOrder> All => _orders.Values;

    /// <summary>Reports applied twice (same trade id) or arriving after what they describe: ignored, counted.</summary>
    public int IgnoredReports { get; private set; }

    /// <summary>Reports about orders that are not this run's (other runs, manual orders): left to reconciliation.</summary>
    public int ForeignReports { get; private set; }

    /// <summary>Reports that contradict what is known (a fill after the order ended): ignored, counted, worth a log line.</summary>
    public int Anomalies { get; private set; }

    /// <summary>A new order, <see cref="LiveOrderState.PendingNew"/>, with the next client order id of this run.</summary>
    public LiveOrder Create(in OrderRequest request, long now)
    {
        var seq = ++_sequence;
        var id = new ClientOrderId(seq); // the engine's id is the sequence; Ids formats it at the venue's edge
        var order = new LiveOrder(seq, id, Ids.Format(seq), new Order(id, _symbol, request, now));
        _orders.Add(seq, order);
        _open.Add(order.Order);
        _openLive.Add(order);
        return order;
    }

    /// <summary>New orders get sequence numbers after <paramref name="sequence"/> (a restart continues the journal's ids).</summary>
    public void ReserveThrough(long sequence) => _sequence = Math.Max(_sequence, sequence);

    /// <summary>
    /// Takes over an order working at the venue that this run did not place (reconciliation: a journalled order still
    /// open after a restart, or an unknown one adopted): <paramref name="sequence"/> is its sequence when its id is in
    /// this run's format, 0 to give it the next one (its id becomes an alias of it). <paramref name="executed"/> is what
    /// the venue already filled (at <paramref name="averagePrice"/>): counted as applied but not reported again, since the
    /// balances the run starts from include it; <paramref name="knownTrades"/> are ignored if reported again.
    /// </summary>
    public LiveOrder Adopt(long sequence, string clientOrderId, in OrderRequest request, long created, long venueOrderId,
        decimal executed, decimal averagePrice, IEnumerable<long> knownTrades)
    {
        if (sequence == 0)
        {
            sequence = ++_sequence;
            Ids.Alias(clientOrderId, sequence);
        }
        else
        {
            ReserveThrough(sequence);
        }

        var id = new ClientOrderId(sequence);
        var order = new LiveOrder(sequence, id, clientOrderId, new Order(id, _symbol, request, created))
        {
            State = executed > 0 ? LiveOrderState.PartiallyFilled : LiveOrderState.New,
            VenueOrderId = venueOrderId,
            AppliedQuantity = executed,
            VenueExecutedQuantity = executed,
            AcceptedReported = true,
        };
        // Core's order refuses a fill past its quantity; the venue's word stands in AppliedQuantity either way.
        if (executed > 0 && (request.Quantity == 0 || executed <= request.Quantity))
        {
            order.Order.ApplyFill(new Fill(id, created, request.Side, averagePrice > 0 ? averagePrice : request.Price, executed, 0, false, -1));
        }

        foreach (var t in knownTrades)
        {
            order.AddTrade(t);
        }

        _orders.Add(sequence, order);
        _open.Add(order.Order);
        _openLive.Add(order);
        return order;
    }

    public bool TryGet(long sequence, out LiveOrder order) => _orders.TryGetValue(sequence, out order!);

    /// <summary>The order of a client order id of this run; null when foreign or unknown.</summary>
    public LiveOrder? Find(ClientOrderId id) =>
        _orders.TryGetValue(id.Value, out var o) ? o : null;

    /// <summary>order.place answered 200: the venue has the order.</summary>
    public void OnPlaceAnswer(in VenueOrder result) => ApplyVenueState(result);

    /// <summary>order.place answered with a definite refusal (4xx other than 429/418 handled by the caller): rejected.</summary>
    public void OnPlaceRejected(long sequence, string reason, long now)
    {
        if (!_orders.TryGetValue(sequence, out var o) || o.IsFinal || o.AcceptedReported)
        {
            IgnoredReports++;
            return;
        }

        Reject(o, reason, now);
    }

    /// <summary>order.place got no definite answer: the order may exist. Query it; never resend it.</summary>
    public void OnPlaceUnknown(long sequence)
    {
        if (_orders.TryGetValue(sequence, out var o) && o.State == LiveOrderState.PendingNew)
        {
            o.State = LiveOrderState.Unknown;
        }
    }

    /// <summary>Orders whose place outcome is unknown, to query (<c>order.status</c>).</summary>
    public IEnumerable<LiveOrder> Unknown() => _openLive.Where(o => o.State == LiveOrderState.Unknown);

    /// <summary>Marks an open order PendingCancel; false when it is final (or unknown to this manager).</summary>
    public bool RequestCancel(long sequence)
    {
        if (!_orders.TryGetValue(sequence, out var o) || o.IsFinal)
        {
            return false;
        }

        o.State = LiveOrderState.PendingCancel;
        return true;
    }

    /// <summary>order.cancel answered 200 (the canceled order's state and executed quantity).</summary>
    public void OnCancelAnswer(in VenueOrder result) => ApplyVenueState(result);

    /// <summary>
    /// order.cancel was refused (typically −2011 "Unknown order sent." because the order filled first): the order goes
    /// back to its working state; the fill's report, not the cancel, decides how it ends.
    /// </summary>
    public void OnCancelRejected(long sequence)
    {
        if (_orders.TryGetValue(sequence, out var o) && o.State == LiveOrderState.PendingCancel)
        {
            o.State = WorkingState(o);
        }
    }

    /// <summary>order.status found the order: adopt the venue's state (how an unknown outcome is settled).</summary>
    public void OnStatus(in VenueOrder result) => ApplyVenueState(result);

    /// <summary>order.status says the venue never had the order (−2013): an unknown or pending order is rejected.</summary>
    public void OnStatusNotFound(long sequence, long now)
    {
        if (_orders.TryGetValue(sequence, out var o) && !o.IsFinal && !o.AcceptedReported && o.AppliedQuantity == 0)
        {
            Reject(o, "not found at the venue: the order was never placed", now);
        }
    }

    public void OnExecutionReport(in ExecutionReport r)
    {
        if (r.OrderSequence == 0 || !_orders.TryGetValue(r.OrderSequence, out var o))
        {
            ForeignReports++;
            return;
        }

        if (r.OrderId != 0)
        {
            o.VenueOrderId = r.OrderId;
        }

        switch (r.ExecutionType)
        {
            case ExecutionType.New:
                if (o.State is LiveOrderState.PendingNew or LiveOrderState.Unknown)
                {
                    Accept(o);
                }
                else
                {
                    IgnoredReports++;
                }

                break;
            case ExecutionType.Trade:
                ApplyFill(o, r);
                break;
            case ExecutionType.Canceled:
                Final(o, LiveOrderState.Canceled, r.CumulativeQuantity, null, r.TransactionTime);
                break;
            case ExecutionType.Expired:
            case ExecutionType.TradePrevention:
                Final(o, LiveOrderState.Expired, r.CumulativeQuantity, r.ExecutionType == ExecutionType.TradePrevention ? "self-trade prevention" : null, r.TransactionTime);
                break;
            case ExecutionType.Rejected:
                Final(o, LiveOrderState.Rejected, r.CumulativeQuantity, r.RejectReason ?? "rejected by the venue", r.TransactionTime);
                break;
            default:
                IgnoredReports++;
                break;
        }
    }

    private void ApplyVenueState(in VenueOrder v)
    {
        if (v.OrderSequence == 0 || !_orders.TryGetValue(v.OrderSequence, out var o))
        {
            ForeignReports++;
            return;
        }

        if (v.OrderId != 0)
        {
            o.VenueOrderId = v.OrderId;
        }

        o.VenueExecutedQuantity = Math.Max(o.VenueExecutedQuantity, v.ExecutedQuantity);
        switch (v.Status)
        {
            case VenueOrderStatus.Rejected:
                Final(o, LiveOrderState.Rejected, v.ExecutedQuantity, "rejected by the venue", v.Time);
                return;
            case VenueOrderStatus.Canceled:
                Final(o, LiveOrderState.Canceled, v.ExecutedQuantity, null, v.Time);
                return;
            case VenueOrderStatus.Expired:
            case VenueOrderStatus.ExpiredInMatch:
                Final(o, LiveOrderState.Expired, v.ExecutedQuantity, null, v.Time);
                return;
            default:
                // New, PartiallyFilled, Filled: the venue has it; fills come (once each) from the execution reports.
                if (o.State is LiveOrderState.PendingNew or LiveOrderState.Unknown)
                {
                    Accept(o);
                }
                else if (!o.AcceptedReported && !o.IsFinal)
                {
                    ReportAccepted(o);
                }

                return;
        }
    }

    private void Accept(LiveOrder o)
    {
        o.State = o.AppliedQuantity > 0 ? LiveOrderState.PartiallyFilled : LiveOrderState.New;
        ReportAccepted(o);
    }

    private void ReportAccepted(LiveOrder o)
    {
        if (!o.AcceptedReported)
        {
            o.AcceptedReported = true;
            _listener.OnAccepted(o);
        }
    }

    private void ApplyFill(LiveOrder o, in ExecutionReport r)
    {
        if (r.TradeId < 0 || r.LastQuantity <= 0)
        {
            Anomalies++;
            return;
        }

        if (!o.AddTrade(r.TradeId))
        {
            IgnoredReports++;
            return;
        }

        if (o.IsFinal || (o.Order.Quantity > 0 && o.AppliedQuantity + r.LastQuantity > o.Order.Quantity)
            || (o.Order.Quantity == 0 && o.AppliedQuantity > 0))
        {
            Anomalies++;
            return;
        }

        if (!o.AcceptedReported)
        {
            if (o.State is LiveOrderState.PendingNew or LiveOrderState.Unknown)
            {
                o.State = LiveOrderState.New;
            }

            ReportAccepted(o);
        }

        var quoteFee = r.CommissionAsset switch
        {
            CommissionAsset.Quote => r.Commission,
            CommissionAsset.Base => r.Commission * r.LastPrice,
            _ => 0m,
        };
        var fill = new Fill(o.Id, r.TransactionTime, o.Order.Side, r.LastPrice, r.LastQuantity, quoteFee, r.IsMaker, r.TradeId);
        o.Order.ApplyFill(fill);
        o.AppliedQuantity += r.LastQuantity;
        o.VenueExecutedQuantity = Math.Max(o.VenueExecutedQuantity, r.CumulativeQuantity);
        var complete = o.Order.Status == OrderStatus.Filled;
        if (complete)
        {
            o.State = LiveOrderState.Filled;
            RemoveOpen(o);
        }
        else if (o.State != LiveOrderState.PendingCancel)
        {
            o.State = LiveOrderState.PartiallyFilled;
        }

        _listener.OnFill(o, fill, r.CommissionAsset, r.Commission);
        if (!complete && o.DeferredFinal is { } final && o.AppliedQuantity >= o.VenueExecutedQuantity)
        {
            o.DeferredFinal = null;
            Close(o, final, o.DeferredReason, r.TransactionTime);
        }
    }

    private void Final(LiveOrder o, LiveOrderState final, decimal venueExecuted, string? reason, long time)
    {
        if (o.IsFinal)
        {
            IgnoredReports++;
            return;
        }

        o.VenueExecutedQuantity = Math.Max(o.VenueExecutedQuantity, venueExecuted);
        if (final == LiveOrderState.Rejected && o.AppliedQuantity == 0 && !o.AcceptedReported)
        {
            Reject(o, reason ?? "rejected by the venue", time);
            return;
        }

        if (o.AppliedQuantity < o.VenueExecutedQuantity)
        {
            // The venue counted fills whose reports have not arrived: end the order after them.
            o.DeferredFinal = final;
            o.DeferredReason = reason;
            return;
        }

        Close(o, final, reason, time);
    }

    private void Close(LiveOrder o, LiveOrderState final, string? reason, long time)
    {
        ReportAccepted(o);
        o.State = final;
        RemoveOpen(o);
        OrderEventKind kind;
        if (final == LiveOrderState.Canceled)
        {
            o.Order.Cancel(time, reason);
            kind = OrderEventKind.Canceled;
        }
        else
        {
            o.Order.Expire(time, reason);
            kind = OrderEventKind.Expired;
        }

        _listener.OnClosed(o, kind, reason);
    }

    private void Reject(LiveOrder o, string reason, long time)
    {
        o.State = LiveOrderState.Rejected;
        RemoveOpen(o);
        o.Order.Reject(time, reason);
        _listener.OnClosed(o, OrderEventKind.Rejected, reason);
    }

    private static LiveOrderState WorkingState(LiveOrder o) =>
        o.AppliedQuantity > 0 ? LiveOrderState.PartiallyFilled : o.AcceptedReported ? LiveOrderState.New : LiveOrderState.PendingNew;

    private void RemoveOpen(LiveOrder o)
    {
        var i = _openLive.IndexOf(o);
        if (i >= 0)
        {
            _openLive.RemoveAt(i);
            _open.RemoveAt(i);
        }
    }
}
