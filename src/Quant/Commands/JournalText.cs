using Quant.Cli;
using Trading.Live.Journal;

namespace Quant.Commands;

/// <summary>The tables of <c>quant journal show</c>: a summary line, then orders, fills and snapshots, oldest first.</summary>
internal static class JournalText
{
    public static void Write(TextWriter output, string path, JournalState state)
    {
        var open = state.Orders.Count(o => !o.IsFinal);
        var last = state.LastKnownTime == 0 ? "never" : UtcDate.Format(state.LastKnownTime);
        output.WriteLine($"journal {path}: {state.Orders.Count} orders ({open} not final), {state.Fills.Count} fills, {state.Snapshots.Count} snapshots; last known {last}");
        output.WriteLine();
        var orders = new TextTable("created", "client id", "side", "type", "quantity>", "price>", "filled>", "state", "venue id>", "reason") { Title = "orders" };
        foreach (var o in state.Orders)
        {
            var price = o.Type switch
            {
                Trading.Core.Orders.OrderType.Limit => JournalCommand.Dec(o.Price),
                Trading.Core.Orders.OrderType.StopMarket => "stop " + JournalCommand.Dec(o.StopPrice),
                _ => "market",
            };
            var quantity = o.Quantity == 0 && o.QuoteQuantity > 0 ? JournalCommand.Dec(o.QuoteQuantity) + " quote" : JournalCommand.Dec(o.Quantity);
            orders.AddRow(UtcDate.Format(o.Created), o.ClientOrderId, o.Side.ToString().ToLowerInvariant(), o.Type.ToString().ToLowerInvariant(),
                quantity, price, JournalCommand.Dec(o.FilledQuantity), o.State.ToString(), o.VenueOrderId == 0 ? "" : o.VenueOrderId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                o.Reason ?? "");
        }

        orders.Write(output);
        output.WriteLine();
        var fills = new TextTable("time", "trade id>", "client id", "side", "quantity>", "price>", "commission>", "asset") { Title = "fills" };
        foreach (var f in state.Fills)
        {
            fills.AddRow(UtcDate.Format(f.Time), f.TradeId.ToString(System.Globalization.CultureInfo.InvariantCulture), f.ClientOrderId,
                f.Side.ToString().ToLowerInvariant(), JournalCommand.Dec(f.Quantity), JournalCommand.Dec(f.Price),
                JournalCommand.Dec(f.Commission), f.CommissionAsset.ToString().ToLowerInvariant());
        }

        fills.Write(output);
        output.WriteLine();
        var snapshots = new TextTable("time", "base>", "quote>") { Title = "snapshots" };
        foreach (var s in state.Snapshots)
        {
            snapshots.AddRow(UtcDate.Format(s.Time), JournalCommand.Dec(s.Base), JournalCommand.Dec(s.Quote));
        }

        snapshots.Write(output);
    }
}
