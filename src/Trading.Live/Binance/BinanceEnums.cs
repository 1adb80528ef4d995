using Trading.Core.Orders;

namespace Trading.Live.Binance;

/// <summary>Binance's enum spellings, both ways, on UTF-8 spans (no allocation).</summary>
internal static class BinanceEnums
{
    public static ExecutionType ExecutionType(ReadOnlySpan<byte> s) => s switch
    {
        _ when s.SequenceEqual("NEW"u8) => Binance.ExecutionType.New,
        _ when s.SequenceEqual("TRADE"u8) => Binance.ExecutionType.Trade,
        _ when s.SequenceEqual("CANCELED"u8) => Binance.ExecutionType.Canceled,
        _ when s.SequenceEqual("EXPIRED"u8) => Binance.ExecutionType.Expired,
        _ when s.SequenceEqual("REJECTED"u8) => Binance.ExecutionType.Rejected,
        _ when s.SequenceEqual("REPLACED"u8) => Binance.ExecutionType.Replaced,
        _ when s.SequenceEqual("TRADE_PREVENTION"u8) => Binance.ExecutionType.TradePrevention,
        _ => Binance.ExecutionType.Unknown,
    };

    public static VenueOrderStatus Status(ReadOnlySpan<byte> s) => s switch
    {
        _ when s.SequenceEqual("NEW"u8) => VenueOrderStatus.New,
        _ when s.SequenceEqual("PARTIALLY_FILLED"u8) => VenueOrderStatus.PartiallyFilled,
        _ when s.SequenceEqual("FILLED"u8) => VenueOrderStatus.Filled,
        _ when s.SequenceEqual("CANCELED"u8) => VenueOrderStatus.Canceled,
        _ when s.SequenceEqual("EXPIRED"u8) => VenueOrderStatus.Expired,
        _ when s.SequenceEqual("REJECTED"u8) => VenueOrderStatus.Rejected,
        _ when s.SequenceEqual("PENDING_NEW"u8) => VenueOrderStatus.PendingNew,
        _ when s.SequenceEqual("PENDING_CANCEL"u8) => VenueOrderStatus.PendingCancel,
        _ when s.SequenceEqual("EXPIRED_IN_MATCH"u8) => VenueOrderStatus.ExpiredInMatch,
        _ => VenueOrderStatus.Unknown,
    };

    public static OrderSide Side(ReadOnlySpan<byte> s) =>
        s.SequenceEqual("BUY"u8) ? OrderSide.Buy
        : s.SequenceEqual("SELL"u8) ? OrderSide.Sell
        : throw new FormatException("side: expected BUY or SELL");

    /// <summary>The reject reasons of binance.md §4.3 as fixed strings (no allocation); others read "OTHER".</summary>
    public static string? RejectReason(ReadOnlySpan<byte> s) => s switch
    {
        _ when s.SequenceEqual("NONE"u8) => null,
        _ when s.SequenceEqual("INSUFFICIENT_BALANCES"u8) => "INSUFFICIENT_BALANCES",
        _ when s.SequenceEqual("STOP_PRICE_WOULD_TRIGGER_IMMEDIATELY"u8) => "STOP_PRICE_WOULD_TRIGGER_IMMEDIATELY",
        _ when s.SequenceEqual("WOULD_MATCH_IMMEDIATELY"u8) => "WOULD_MATCH_IMMEDIATELY",
        _ when s.SequenceEqual("OCO_BAD_PRICES"u8) => "OCO_BAD_PRICES",
        _ => "OTHER",
    };

    public static ReadOnlySpan<byte> SideName(OrderSide side) => side == OrderSide.Buy ? "BUY"u8 : "SELL"u8;

    public static ReadOnlySpan<byte> TifName(TimeInForce tif) => tif switch
    {
        TimeInForce.Ioc => "IOC"u8,
        TimeInForce.Fok => "FOK"u8,
        _ => "GTC"u8,
    };
}
