using Trading.Core.Orders;
using Trading.Live.Binance;

namespace Trading.Live.Orders;

/// <summary>What the <see cref="OrderManager"/> tells the engine, each at most once per fact, on the loop thread.</summary>
public interface IOrderListener
{
    /// <summary>The venue has the order (first ack, first report, or a query found it).</summary>
    void OnAccepted(LiveOrder order);

    /// <summary>
    /// A fill, applied once per trade id. <paramref name="fill"/>'s fee is in the quote asset (a base-asset commission
    /// valued at the fill price, another asset's at zero); <paramref name="commission"/> in <paramref name="asset"/> is
    /// what the venue actually charged.
    /// </summary>
    void OnFill(LiveOrder order, in Fill fill, CommissionAsset asset, decimal commission);

    /// <summary>The order ended without (more) fills: canceled, expired or rejected, with the reason when known.</summary>
    void OnClosed(LiveOrder order, OrderEventKind kind, string? reason);
}
