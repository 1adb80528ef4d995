using Trading.Live.Orders;

namespace Trading.Live.Binance;

/// <summary>
/// The real venue behind <see cref="IVenueClient"/>: signed <c>order.place</c>, <c>orderList.place.oco</c>,
/// <c>order.cancel</c> and <c>order.status</c> frames over the WebSocket API session, client order ids in this run's
/// codec. The answers come back through the session's listener (the engine) and the user data stream; this class only
/// sends. Loop thread only.
/// <para><paramref name="session"/> gives the current session: a reconnect replaces it, and a frame always goes to the
/// one in use.</para>
/// </summary>
public sealed class BinanceVenueClient(Func<ApiSession> session, ApiRequestWriter writer, ClientOrderIdCodec ids) : IVenueClient
{
    private ApiSession Api => session();

    public bool IsOpen => Api.IsOpen;

    public int PendingCount => Api.PendingCount;

    public long Place(LiveOrder order, long venueNow)
    {
        var o = order.Order;
        Span<byte> clientId = stackalloc byte[40];
        var n = ids.Format(order.Sequence, clientId);
        var id = Api.NextId();
        var frame = writer.Place(id, o.Side, o.Type, o.TimeInForce, o.Quantity, o.Price, o.QuoteQuantity, o.StopPrice, clientId[..n], venueNow);
        return Api.Send(id, frame, RequestKind.Place, order.Sequence) ? id : -1;
    }

    public long PlaceOco(LiveOrder stopLoss, LiveOrder takeProfit, long venueNow)
    {
        Span<byte> stopId = stackalloc byte[40];
        Span<byte> takeId = stackalloc byte[40];
        var ns = ids.Format(stopLoss.Sequence, stopId);
        var nt = ids.Format(takeProfit.Sequence, takeId);
        var id = Api.NextId();
        var frame = writer.PlaceOco(id, stopLoss.Order, stopId[..ns], takeProfit.Order, takeId[..nt], venueNow);
        return Api.Send(id, frame, RequestKind.PlaceOco, stopLoss.Sequence) ? id : -1;
    }

    public long Cancel(LiveOrder order, long venueNow)
    {
        Span<byte> clientId = stackalloc byte[40];
        var n = ids.Format(order.Sequence, clientId);
        var id = Api.NextId();
        return Api.Send(id, writer.Cancel(id, clientId[..n], venueNow), RequestKind.Cancel, order.Sequence) ? id : -1;
    }

    public long Status(LiveOrder order, long venueNow)
    {
        Span<byte> clientId = stackalloc byte[40];
        var n = ids.Format(order.Sequence, clientId);
        var id = Api.NextId();
        return Api.Send(id, writer.Status(id, clientId[..n], 0, venueNow), RequestKind.Status, order.Sequence) ? id : -1;
    }
}
