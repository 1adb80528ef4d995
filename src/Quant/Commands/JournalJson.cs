using System.Text.Json;
using Trading.Live.Journal;

namespace Quant.Commands;

/// <summary>
/// The journal as one JSON object: <c>{"journal","last_known_time","last_trade_id","orders":[...],"fills":[...],
/// "snapshots":[...]}</c>; times are ms since the epoch (UTC), quantities and prices exact decimal numbers, enums
/// lower-case names.
/// </summary>
internal static class JournalJson
{
    public static string Write(string path, JournalState state)
    {
        using var buffer = new MemoryStream();
        Write(buffer, path, state);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes the object to <paramref name="file"/>; returns the file's path.</summary>
    public static string WriteFile(string file, string path, JournalState state)
    {
        using (var stream = File.Create(file))
        {
            Write(stream, path, state);
        }

        return file;
    }

    private static void Write(Stream stream, string path, JournalState state)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("journal", path);
        w.WriteNumber("last_known_time", state.LastKnownTime);
        w.WriteNumber("last_trade_id", state.LastTradeId);
        w.WriteStartArray("orders");
        foreach (var o in state.Orders)
        {
            w.WriteStartObject();
            w.WriteString("client_order_id", o.ClientOrderId);
            w.WriteNumber("created", o.Created);
            w.WriteString("side", Name(o.Side));
            w.WriteString("type", Name(o.Type));
            w.WriteString("time_in_force", Name(o.TimeInForce));
            w.WriteNumber("quantity", o.Quantity);
            w.WriteNumber("quote_quantity", o.QuoteQuantity);
            w.WriteNumber("price", o.Price);
            w.WriteNumber("stop_price", o.StopPrice);
            w.WriteString("state", Name(o.State));
            w.WriteNumber("filled", o.FilledQuantity);
            w.WriteNumber("venue_executed", o.VenueExecutedQuantity);
            w.WriteNumber("venue_order_id", o.VenueOrderId);
            w.WriteNumber("sent_request_id", o.SentRequestId);
            w.WriteNumber("updated", o.Updated);
            Nullable(w, "tag", o.Tag);
            Nullable(w, "reason", o.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("fills");
        foreach (var f in state.Fills)
        {
            w.WriteStartObject();
            w.WriteNumber("trade_id", f.TradeId);
            w.WriteString("client_order_id", f.ClientOrderId);
            w.WriteNumber("time", f.Time);
            w.WriteString("side", Name(f.Side));
            w.WriteNumber("quantity", f.Quantity);
            w.WriteNumber("price", f.Price);
            w.WriteNumber("commission", f.Commission);
            w.WriteString("commission_asset", Name(f.CommissionAsset));
            w.WriteBoolean("maker", f.IsMaker);
            w.WriteNumber("venue_order_id", f.VenueOrderId);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("snapshots");
        foreach (var s in state.Snapshots)
        {
            w.WriteStartObject();
            w.WriteNumber("time", s.Time);
            w.WriteNumber("base", s.Base);
            w.WriteNumber("quote", s.Quote);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    internal static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static void Nullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
