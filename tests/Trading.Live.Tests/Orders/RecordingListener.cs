using Trading.Core.Orders;
using Trading.Live.Binance;
using Trading.Live.Orders;

namespace Trading.Live.Tests.Orders;

/// <summary>Records what the order manager reports, as short lines ("accepted 1", "fill 1 0.4@100 t7", "canceled 1").</summary>
internal sealed class RecordingListener : IOrderListener
{
    public List<string> Lines { get; } = [];

    public void OnAccepted(LiveOrder order) => Lines.Add($"accepted {order.Sequence}");

    public void OnFill(LiveOrder order, in Fill fill, CommissionAsset asset, decimal commission) =>
        Lines.Add($"fill {order.Sequence} {fill.Quantity}@{fill.Price} t{fill.TradeId} fee {fill.Fee} ({commission} {asset})");

    public void OnClosed(LiveOrder order, OrderEventKind kind, string? reason) =>
        Lines.Add($"{kind.ToString().ToLowerInvariant()} {order.Sequence}{(reason is null ? "" : ": " + reason)}");
}
