using System.Globalization;
using Microsoft.Data.Sqlite;
using Trading.Core.Orders;
using Trading.Live.Binance;
using Trading.Live.Orders;

namespace Trading.Live.Journal;

/// <summary>
/// Loads a journal into a <see cref="JournalState"/>. Read-only and lock-free: it may run while a writer holds the
/// journal (WAL readers see the last commit, never a half-written batch).
/// </summary>
public static class JournalReader
{
    /// <summary>
    /// Loads <paramref name="path"/>. Throws <see cref="FileNotFoundException"/> when there is no such file and
    /// <see cref="JournalFormatException"/> when it is not a journal; both messages are one line naming the file.
    /// </summary>
    public static JournalState Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such journal", path);
        }

        using var connection = JournalSchema.OpenForReading(path);
        return Load(connection, path);
    }

    internal static JournalState Load(SqliteConnection connection, string path)
    {
        try
        {
            var fills = ReadFills(connection);
            var filled = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var f in fills)
            {
                filled[f.ClientOrderId] = filled.GetValueOrDefault(f.ClientOrderId) + f.Quantity;
            }

            var orders = ReadOrders(connection, filled);
            var snapshots = ReadSnapshots(connection);
            var last = Scalar(connection, """
                SELECT MAX(t) FROM (SELECT MAX(updated) AS t FROM orders UNION ALL SELECT MAX(time) FROM fills
                UNION ALL SELECT MAX(time) FROM events UNION ALL SELECT MAX(time) FROM snapshots)
                """);
            var lastTrade = Scalar(connection, "SELECT MAX(trade_id) FROM fills");
            return new JournalState(orders, fills, snapshots, last, lastTrade);
        }
        catch (Exception e) when (e is SqliteException or FormatException or ArgumentException or InvalidCastException)
        {
            throw new JournalFormatException($"{path}: unreadable journal ({e.Message.ReplaceLineEndings(" ")})");
        }
    }

    private static List<JournalOrder> ReadOrders(SqliteConnection connection, Dictionary<string, decimal> filled)
    {
        using var c = connection.CreateCommand();
        c.CommandText = """
            SELECT client_id, created, side, type, tif, quantity, price, stop_price, quote_quantity, tag, state,
                   venue_order_id, venue_executed, sent_request, updated, reason
            FROM orders ORDER BY created, rowid
            """;
        using var r = c.ExecuteReader();
        var list = new List<JournalOrder>();
        while (r.Read())
        {
            var id = r.GetString(0);
            list.Add(new JournalOrder(id, r.GetInt64(1), Enum.Parse<OrderSide>(r.GetString(2)), Enum.Parse<OrderType>(r.GetString(3)),
                Enum.Parse<TimeInForce>(r.GetString(4)), Dec(r, 5), Dec(r, 6), Dec(r, 7), Dec(r, 8), Str(r, 9),
                Enum.Parse<LiveOrderState>(r.GetString(10)), r.GetInt64(11), Dec(r, 12), r.GetInt64(13), r.GetInt64(14),
                Str(r, 15), filled.GetValueOrDefault(id)));
        }

        return list;
    }

    private static List<JournalFill> ReadFills(SqliteConnection connection)
    {
        using var c = connection.CreateCommand();
        c.CommandText = """
            SELECT trade_id, client_id, time, side, venue_order_id, quantity, price, commission, commission_asset, maker
            FROM fills ORDER BY time, trade_id
            """;
        using var r = c.ExecuteReader();
        var list = new List<JournalFill>();
        while (r.Read())
        {
            list.Add(new JournalFill(r.GetInt64(0), r.GetString(1), r.GetInt64(2), Enum.Parse<OrderSide>(r.GetString(3)),
                r.GetInt64(4), Dec(r, 5), Dec(r, 6), Dec(r, 7), Enum.Parse<CommissionAsset>(r.GetString(8)), r.GetInt64(9) != 0));
        }

        return list;
    }

    private static List<JournalSnapshot> ReadSnapshots(SqliteConnection connection)
    {
        using var c = connection.CreateCommand();
        c.CommandText = "SELECT time, base, quote FROM snapshots ORDER BY id";
        using var r = c.ExecuteReader();
        var list = new List<JournalSnapshot>();
        while (r.Read())
        {
            list.Add(new JournalSnapshot(r.GetInt64(0), Dec(r, 1), Dec(r, 2)));
        }

        return list;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var c = connection.CreateCommand();
        c.CommandText = sql;
        return c.ExecuteScalar() is long v ? v : 0;
    }

    private static decimal Dec(SqliteDataReader r, int i) => decimal.Parse(r.GetString(i), NumberStyles.Number, CultureInfo.InvariantCulture);

    private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
