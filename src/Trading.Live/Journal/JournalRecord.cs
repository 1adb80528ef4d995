using Trading.Core.Orders;
using Trading.Live.Binance;
using Trading.Live.Orders;
using Trading.Live.Risk;

namespace Trading.Live.Journal;

/// <summary>
/// One line of the journal, as the loop thread hands it to the <see cref="JournalWriter"/>: a plain struct copied into
/// the writer's ring, so appending allocates nothing (the strings it points to already exist: the order's client id,
/// its tag, a fixed reason). Build it with the factory for its <see cref="Kind"/>; fields a kind does not use stay
/// default and are not stored.
/// </summary>
public struct JournalRecord
{
    public JournalRecordKind Kind;

    /// <summary>Ms since the epoch, UTC: the engine's clock when written, or the venue's time of a fill or state.</summary>
    public long Time;

    public string? ClientOrderId;
    public OrderSide Side;
    public OrderType Type;
    public TimeInForce TimeInForce;
    public decimal Quantity;
    public decimal Price;
    public decimal StopPrice;
    public decimal QuoteQuantity;
    public LiveOrderState State;
    public long VenueOrderId;
    public long RequestId;
    public long TradeId;
    public decimal LastQuantity;
    public decimal LastPrice;
    public decimal CumulativeQuantity;
    public decimal Commission;
    public CommissionAsset CommissionAsset;
    public bool IsMaker;
    public RiskRule Rule;

    /// <summary>Snapshot: base asset held and free quote; a fill: unused.</summary>
    public decimal Base;
    public decimal Quote;

    /// <summary>The intent's tag, a state's reason, a risk trip's message.</summary>
    public string? Text;

    /// <summary>The order the engine is about to send (call right after <see cref="OrderManager.Create"/>).</summary>
    public static JournalRecord Intent(LiveOrder order, long now)
    {
        var o = order.Order;
        return new JournalRecord
        {
            Kind = JournalRecordKind.Intent, Time = now, ClientOrderId = order.VenueId, Side = o.Side, Type = o.Type,
            TimeInForce = o.TimeInForce, Quantity = o.Quantity, Price = o.Price, StopPrice = o.StopPrice,
            QuoteQuantity = o.QuoteQuantity, State = LiveOrderState.PendingNew, Text = o.Tag,
        };
    }

    /// <summary>The place request <paramref name="requestId"/> of <paramref name="order"/> went to the socket.</summary>
    public static JournalRecord Sent(LiveOrder order, long requestId, long now) => new()
    {
        Kind = JournalRecordKind.Sent, Time = now, ClientOrderId = order.VenueId, RequestId = requestId,
        State = order.State,
    };

    /// <summary>The venue has the order (a place answer or a status query): its id, state and executed quantity.</summary>
    public static JournalRecord Ack(LiveOrder order, long now) => new()
    {
        Kind = JournalRecordKind.Ack, Time = now, ClientOrderId = order.VenueId, VenueOrderId = order.VenueOrderId,
        State = order.State, CumulativeQuantity = order.VenueExecutedQuantity,
    };

    /// <summary>
    /// One trade of an execution report; a second record with the same trade id is ignored by the journal. The order's
    /// state becomes Filled when the report's <c>X</c> says FILLED, else PartiallyFilled (never over a final state).
    /// </summary>
    public static JournalRecord Fill(in ExecutionReport report, string clientOrderId) => new()
    {
        Kind = JournalRecordKind.Fill, Time = report.TransactionTime, ClientOrderId = clientOrderId, Side = report.Side,
        VenueOrderId = report.OrderId, TradeId = report.TradeId, LastQuantity = report.LastQuantity,
        LastPrice = report.LastPrice, CumulativeQuantity = report.CumulativeQuantity, Commission = report.Commission,
        CommissionAsset = report.CommissionAsset, IsMaker = report.IsMaker,
        State = report.Status == VenueOrderStatus.Filled ? LiveOrderState.Filled : LiveOrderState.PartiallyFilled,
    };

    /// <summary>The engine asked the venue to cancel <paramref name="order"/>.</summary>
    public static JournalRecord CancelRequested(LiveOrder order, long requestId, long now) => new()
    {
        Kind = JournalRecordKind.CancelRequested, Time = now, ClientOrderId = order.VenueId, RequestId = requestId,
        State = LiveOrderState.PendingCancel,
    };

    /// <summary><paramref name="order"/> is now in <paramref name="state"/> (final states, Unknown, or back to working).</summary>
    public static JournalRecord StateOf(LiveOrder order, LiveOrderState state, string? reason, long time) => new()
    {
        Kind = JournalRecordKind.State, Time = time, ClientOrderId = order.VenueId, VenueOrderId = order.VenueOrderId,
        State = state, CumulativeQuantity = order.VenueExecutedQuantity, Text = reason,
    };

    /// <summary>A risk rule refused an order or tripped the kill switch.</summary>
    public static JournalRecord RiskTrip(RiskRule rule, string message, long now) => new()
    {
        Kind = JournalRecordKind.RiskTrip, Time = now, Rule = rule, Text = message,
    };

    /// <summary>The base asset held and the free quote at <paramref name="now"/>.</summary>
    public static JournalRecord Snapshot(decimal @base, decimal quote, long now) => new()
    {
        Kind = JournalRecordKind.Snapshot, Time = now, Base = @base, Quote = quote,
    };
}
