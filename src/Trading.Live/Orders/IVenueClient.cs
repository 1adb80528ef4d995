namespace Trading.Live.Orders;

/// <summary>
/// Where the engine sends an order once it passed the filters, the risk gate and the journal (DESIGN.md: order manager →
/// venue client). Two implementations: <see cref="Binance.BinanceVenueClient"/> (signed WebSocket API requests; answers
/// and execution reports come back through the API session) and <see cref="Paper.PaperVenue"/> (filled locally; its
/// execution reports go straight to the order manager). The strategy, risk and order-manager path is the same for both.
/// Loop thread only.
/// </summary>
public interface IVenueClient
{
    /// <summary>Whether requests can be sent (the connection is up; a paper venue until the run closes).</summary>
    bool IsOpen { get; }

    /// <summary>Requests (or work) not answered yet: lockstep is not idle while there are any.</summary>
    int PendingCount { get; }

    /// <summary>Sends the order. Returns the request id in flight (0 when the venue answers without a request, as a paper
    /// venue does), or −1 when it could not be sent.</summary>
    long Place(LiveOrder order, long venueNow);

    /// <summary>Places a one-cancels-other pair as one order list: <paramref name="stopLoss"/> the stop leg,
    /// <paramref name="takeProfit"/> the limit leg, both on the same side. Same return as <see cref="Place"/>.</summary>
    long PlaceOco(LiveOrder stopLoss, LiveOrder takeProfit, long venueNow);

    /// <summary>Requests the cancel of a working order. Same return as <see cref="Place"/>.</summary>
    long Cancel(LiveOrder order, long venueNow);

    /// <summary>Asks the venue for the order's state (settles an unknown outcome). Same return as <see cref="Place"/>.</summary>
    long Status(LiveOrder order, long venueNow);
}
