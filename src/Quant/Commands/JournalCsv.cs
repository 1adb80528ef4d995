using System.Globalization;
using CsvHelper;
using Trading.Live.Journal;

namespace Quant.Commands;

/// <summary>
/// <c>quant journal export</c>'s CSV files: orders.csv, fills.csv and snapshots.csv in the folder given, header first,
/// the same fields and names as the JSON (times in ms since the epoch, exact decimals, lower-case enum names).
/// </summary>
internal static class JournalCsv
{
    /// <summary>Writes the three files; returns their paths.</summary>
    public static string[] WriteFiles(string dir, JournalState state)
    {
        var orders = Path.Combine(dir, "orders.csv");
        Write(orders, ["client_order_id", "created", "side", "type", "time_in_force", "quantity", "quote_quantity", "price",
            "stop_price", "state", "filled", "venue_executed", "venue_order_id", "sent_request_id", "updated", "tag", "reason"],
            state.Orders, (csv, o) =>
            {
                csv.WriteField(o.ClientOrderId);
                csv.WriteField(L(o.Created));
                csv.WriteField(JournalJson.Name(o.Side));
                csv.WriteField(JournalJson.Name(o.Type));
                csv.WriteField(JournalJson.Name(o.TimeInForce));
                csv.WriteField(D(o.Quantity));
                csv.WriteField(D(o.QuoteQuantity));
                csv.WriteField(D(o.Price));
                csv.WriteField(D(o.StopPrice));
                csv.WriteField(JournalJson.Name(o.State));
                csv.WriteField(D(o.FilledQuantity));
                csv.WriteField(D(o.VenueExecutedQuantity));
                csv.WriteField(L(o.VenueOrderId));
                csv.WriteField(L(o.SentRequestId));
                csv.WriteField(L(o.Updated));
                csv.WriteField(o.Tag ?? "");
                csv.WriteField(o.Reason ?? "");
            });
        var fills = Path.Combine(dir, "fills.csv");
        Write(fills, ["trade_id", "client_order_id", "time", "side", "quantity", "price", "commission", "commission_asset", "maker", "venue_order_id"],
            state.Fills, (csv, f) =>
            {
                csv.WriteField(L(f.TradeId));
                csv.WriteField(f.ClientOrderId);
                csv.WriteField(L(f.Time));
                csv.WriteField(JournalJson.Name(f.Side));
                csv.WriteField(D(f.Quantity));
                csv.WriteField(D(f.Price));
                csv.WriteField(D(f.Commission));
                csv.WriteField(JournalJson.Name(f.CommissionAsset));
                csv.WriteField(f.IsMaker ? "true" : "false");
                csv.WriteField(L(f.VenueOrderId));
            });
        var snapshots = Path.Combine(dir, "snapshots.csv");
        Write(snapshots, ["time", "base", "quote"], state.Snapshots, (csv, s) =>
        {
            csv.WriteField(L(s.Time));
            csv.WriteField(D(s.Base));
            csv.WriteField(D(s.Quote));
        });
        return [orders, fills, snapshots];
    }

    private static readonly CsvWriterOptions Options = new() { NewLine = "\n" };

    private static void Write<T>(string file, string[] header, IEnumerable<T> rows, Action<CsvWriter, T> write)
    {
        using var writer = new StreamWriter(file);
        using var csv = CsvWriter.Create(writer, Options, false);
        csv.WriteHeader(header);
        foreach (var row in rows)
        {
            write(csv, row);
            csv.EndRecord();
        }
    }

    private static string D(decimal value) => JournalCommand.Dec(value);

    private static string L(long value) => value.ToString(CultureInfo.InvariantCulture);
}
