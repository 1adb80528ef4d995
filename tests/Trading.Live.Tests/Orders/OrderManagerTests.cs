using Trading.Core.Orders;
using Trading.Live.Binance;
using Trading.Live.Orders;

namespace Trading.Live.Tests.Orders;

/// <summary>The order state machine: acks, reports applied once per trade, out-of-order and duplicate reports, unknown outcomes.</summary>
public sealed class OrderManagerTests
{
    private readonly RecordingListener _events = new();
    private readonly OrderManager _orders;

    public OrderManagerTests() => _orders = new OrderManager(new ClientOrderIdCodec(99), "BTCUSDT", _events);

    private LiveOrder Buy(decimal quantity = 1m, decimal price = 100m) =>
        _orders.Create(OrderRequest.Limit(OrderSide.Buy, quantity, price), now: 1);

    private static ExecutionReport Report(LiveOrder o, ExecutionType x, VenueOrderStatus status, decimal cum = 0,
        decimal last = 0, decimal price = 100m, long trade = -1, decimal fee = 0, CommissionAsset asset = CommissionAsset.None) => new()
    {
        Sequence = o.Sequence,
        OrderId = 555,
        Side = o.Order.Side,
        ExecutionType = x,
        Status = status,
        CumulativeQuantity = cum,
        LastQuantity = last,
        LastPrice = price,
        TradeId = trade,
        Commission = fee,
        CommissionAsset = asset,
        TransactionTime = 10,
    };

    private static VenueOrder Venue(LiveOrder o, VenueOrderStatus status, decimal executed = 0) =>
        new() { Sequence = o.Sequence, OrderId = 555, Status = status, ExecutedQuantity = executed, Time = 10 };

    [Fact]
    public void Ids_are_this_runs_sequence_and_unique()
    {
        var a = Buy();
        var b = Buy();
        Assert.Equal((1L, 2L), (a.Sequence, b.Sequence));
        Assert.Equal(2L, b.Id.Value);
        Assert.Equal("q0000002r-2", _orders.Ids.Format(b.Sequence));
        Assert.Same(b, _orders.Find(b.Id));
        Assert.Null(_orders.Find(new ClientOrderId(3)));
        Assert.Equal(LiveOrderState.PendingNew, a.State);
        Assert.Equal(2, _orders.OpenCount);
    }

    [Fact]
    public void Ack_then_partial_then_full_fill()
    {
        var o = Buy();
        _orders.OnPlaceAnswer(Venue(o, VenueOrderStatus.New));
        Assert.Equal((LiveOrderState.New, 555L), (o.State, o.VenueOrderId));
        _orders.OnExecutionReport(Report(o, ExecutionType.New, VenueOrderStatus.New));
        _orders.OnExecutionReport(Report(o, ExecutionType.Trade, VenueOrderStatus.PartiallyFilled, cum: 0.4m, last: 0.4m, trade: 7, fee: 0.04m, asset: CommissionAsset.Quote));
        Assert.Equal(LiveOrderState.PartiallyFilled, o.State);
        _orders.OnExecutionReport(Report(o, ExecutionType.Trade, VenueOrderStatus.Filled, cum: 1m, last: 0.6m, price: 99m, trade: 8, fee: 0.0006m, asset: CommissionAsset.Base));
        Assert.Equal((LiveOrderState.Filled, OrderStatus.Filled, 0), (o.State, o.Order.Status, _orders.OpenCount));
        Assert.Equal(["accepted 1", "fill 1 0.4@100 t7 fee 0.04 (0.04 Quote)", "fill 1 0.6@99 t8 fee 0.0594 (0.0006 Base)"], _events.Lines);
        Assert.Equal(1, _orders.IgnoredReports); // the NEW report after the ack
    }

    [Fact]
    public void Duplicate_trade_reports_change_nothing()
    {
        var o = Buy();
        var fill = Report(o, ExecutionType.Trade, VenueOrderStatus.PartiallyFilled, cum: 0.5m, last: 0.5m, trade: 7);
        _orders.OnExecutionReport(fill);
        _orders.OnExecutionReport(fill);
        _orders.OnExecutionReport(fill);
        Assert.Equal(0.5m, o.Order.FilledQuantity);
        Assert.Equal(["accepted 1", "fill 1 0.5@100 t7 fee 0 (0 None)"], _events.Lines);
        Assert.Equal(2, _orders.IgnoredReports);
    }

    [Fact]
    public void A_fill_reported_before_the_new_still_accepts_once()
    {
        var o = Buy();
        _orders.OnExecutionReport(Report(o, ExecutionType.Trade, VenueOrderStatus.Filled, cum: 1m, last: 1m, trade: 3));
        _orders.OnExecutionReport(Report(o, ExecutionType.New, VenueOrderStatus.New));
        _orders.OnPlaceAnswer(Venue(o, VenueOrderStatus.Filled, 1m));
        Assert.Equal(LiveOrderState.Filled, o.State);
        Assert.Equal(["accepted 1", "fill 1 1@100 t3 fee 0 (0 None)"], _events.Lines);
    }

    [Fact]
    public void A_cancel_reported_before_its_fill_ends_the_order_after_the_fill()
    {
        var o = Buy();
        _orders.OnPlaceAnswer(Venue(o, VenueOrderStatus.New));
        Assert.True(_orders.RequestCancel(o.Sequence));
        Assert.Equal(LiveOrderState.PendingCancel, o.State);
        // Reordered on the wire: CANCELED (z = 0.3) arrives before the 0.3 fill it counts.
        _orders.OnExecutionReport(Report(o, ExecutionType.Canceled, VenueOrderStatus.Canceled, cum: 0.3m));
        Assert.Equal(LiveOrderState.PendingCancel, o.State);
        _orders.OnExecutionReport(Report(o, ExecutionType.Trade, VenueOrderStatus.PartiallyFilled, cum: 0.3m, last: 0.3m, trade: 9));
        Assert.Equal((LiveOrderState.Canceled, OrderStatus.Canceled, 0.3m), (o.State, o.Order.Status, o.Order.FilledQuantity));
        Assert.Equal(["accepted 1", "fill 1 0.3@100 t9 fee 0 (0 None)", "canceled 1"], _events.Lines);
        _orders.OnCancelAnswer(new VenueOrder { OriginalSequence = o.Sequence, Status = VenueOrderStatus.Canceled, ExecutedQuantity = 0.3m });
        _orders.OnExecutionReport(Report(o, ExecutionType.Canceled, VenueOrderStatus.Canceled, cum: 0.3m));
        Assert.Equal(3, _events.Lines.Count);
    }

    [Fact]
    public void A_cancel_that_loses_the_race_to_a_fill_ends_filled()
    {
        var o = Buy();
        _orders.OnPlaceAnswer(Venue(o, VenueOrderStatus.New));
        _orders.RequestCancel(o.Sequence);
        _orders.OnCancelRejected(o.Sequence); // -2011 Unknown order sent.
        Assert.Equal(LiveOrderState.New, o.State);
        _orders.OnExecutionReport(Report(o, ExecutionType.Trade, VenueOrderStatus.Filled, cum: 1m, last: 1m, trade: 4));
        Assert.Equal(LiveOrderState.Filled, o.State);
        Assert.False(_orders.RequestCancel(o.Sequence));
    }

    [Fact]
    public void A_fill_while_pending_cancel_keeps_the_cancel_pending()
    {
        var o = Buy();
        _orders.OnPlaceAnswer(Venue(o, VenueOrderStatus.New));
        _orders.RequestCancel(o.Sequence);
        _orders.OnExecutionReport(Report(o, ExecutionType.Trade, VenueOrderStatus.PartiallyFilled, cum: 0.2m, last: 0.2m, trade: 4));
        Assert.Equal(LiveOrderState.PendingCancel, o.State);
        _orders.OnCancelRejected(o.Sequence);
        Assert.Equal(LiveOrderState.PartiallyFilled, o.State);
    }

    [Fact]
    public void Rejections_by_the_api_and_by_a_report()
    {
        var a = Buy();
        _orders.OnPlaceRejected(a.Sequence, "Account has insufficient balance for requested action.", 5);
        Assert.Equal((LiveOrderState.Rejected, OrderStatus.Rejected), (a.State, a.Order.Status));
        var b = Buy();
        _orders.OnExecutionReport(Report(b, ExecutionType.Rejected, VenueOrderStatus.Rejected) with { RejectReason = "WOULD_MATCH_IMMEDIATELY" });
        Assert.Equal(["rejected 1: Account has insufficient balance for requested action.", "rejected 2: WOULD_MATCH_IMMEDIATELY"], _events.Lines);
        Assert.Equal(0, _orders.OpenCount);
    }

    [Fact]
    public void Unknown_outcome_is_settled_by_status_found()
    {
        var o = Buy();
        _orders.OnPlaceUnknown(o.Sequence);
        Assert.Equal(LiveOrderState.Unknown, o.State);
        Assert.Equal([o], _orders.Unknown());
        _orders.OnStatus(Venue(o, VenueOrderStatus.PartiallyFilled, 0.5m));
        Assert.Equal((LiveOrderState.New, 0.5m, 0m), (o.State, o.VenueExecutedQuantity, o.AppliedQuantity));
        Assert.Empty(_orders.Unknown());
        Assert.Equal(["accepted 1"], _events.Lines);
    }

    [Fact]
    public void Unknown_outcome_is_settled_by_status_not_found_and_a_late_ack_after_that_changes_nothing()
    {
        var o = Buy();
        _orders.OnPlaceUnknown(o.Sequence);
        _orders.OnStatusNotFound(o.Sequence, 20);
        Assert.Equal(LiveOrderState.Rejected, o.State);
        _orders.OnPlaceRejected(o.Sequence, "late", 21);
        Assert.Equal(["rejected 1: not found at the venue: the order was never placed"], _events.Lines);
    }

    [Fact]
    public void Status_reporting_a_final_state_closes_an_unknown_order()
    {
        var o = _orders.Create(OrderRequest.Limit(OrderSide.Sell, 1m, 100m, TimeInForce.Ioc), 1);
        _orders.OnPlaceUnknown(o.Sequence);
        _orders.OnStatus(Venue(o, VenueOrderStatus.Expired));
        Assert.Equal(["accepted 1", "expired 1"], _events.Lines);
    }

    [Fact]
    public void Foreign_and_contradicting_reports_are_counted_not_applied()
    {
        var o = Buy();
        _orders.OnExecutionReport(Report(o, ExecutionType.Trade, VenueOrderStatus.Filled, cum: 1m, last: 1m, trade: 1) with { Sequence = 0 });
        _orders.OnExecutionReport(Report(o, ExecutionType.Trade, VenueOrderStatus.Filled, cum: 1m, last: 1m, trade: 1));
        _orders.OnExecutionReport(Report(o, ExecutionType.Trade, VenueOrderStatus.Filled, cum: 2m, last: 1m, trade: 2)); // overfill
        Assert.Equal((1, 1, 1m), (_orders.ForeignReports, _orders.Anomalies, o.Order.FilledQuantity));
    }
}
