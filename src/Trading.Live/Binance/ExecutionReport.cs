using Trading.Core.Orders;

namespace Trading.Live.Binance;

/// <summary>
/// An <c>executionReport</c> (binance.md §4.1), the fields the order manager uses. Client ids are decoded to this run's
/// sequence numbers: <see cref="Sequence"/> is 0 when <c>c</c> is not one of ours (a foreign order, or the cancel's own
/// new id), and <see cref="OriginalSequence"/> is the order being canceled (<c>C</c>) when it is ours.
/// </summary>
public struct ExecutionReport
{
    public long EventTime;
    public long Sequence;
    public long OriginalSequence;
    public OrderSide Side;
    public ExecutionType ExecutionType;
    public VenueOrderStatus Status;

    /// <summary><c>r</c> when not NONE, as one of binance.md §4.3's names (fixed strings); null otherwise.</summary>
    public string? RejectReason;
    public long OrderId;
    public long OrderListId;
    public decimal OrderQuantity;
    public decimal OrderPrice;
    public decimal LastQuantity;
    public decimal LastPrice;
    public decimal CumulativeQuantity;
    public decimal CumulativeQuote;
    public decimal Commission;
    public CommissionAsset CommissionAsset;
    public long TransactionTime;

    /// <summary><c>t</c>: the trade id, −1 when the event is not a trade.</summary>
    public long TradeId;

    /// <summary><c>I</c>: the execution id, unique per event of the account.</summary>
    public long ExecutionId;
    public bool IsMaker;

    /// <summary>The order this report is about: <see cref="OriginalSequence"/> for a cancel that renamed it, else <see cref="Sequence"/>.</summary>
    public readonly long OrderSequence => OriginalSequence != 0 ? OriginalSequence : Sequence;
}
