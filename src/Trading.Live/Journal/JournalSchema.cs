using Microsoft.Data.Sqlite;

namespace Trading.Live.Journal;

/// <summary>
/// The journal's tables. Decimals are stored as invariant text (exact, scale kept), enums by name, times as ms since
/// the epoch. <c>orders</c> holds one row per intent with its last known state; <c>fills</c> one row per trade id (the
/// key makes a duplicate report a no-op); <c>events</c> the order of everything else; <c>snapshots</c> the balances.
/// </summary>
internal static class JournalSchema
{
    public const int Version = 1;

    private const string Tables = """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS orders(
            client_id TEXT PRIMARY KEY, created INTEGER NOT NULL, side TEXT NOT NULL, type TEXT NOT NULL,
            tif TEXT NOT NULL, quantity TEXT NOT NULL, price TEXT NOT NULL, stop_price TEXT NOT NULL,
            quote_quantity TEXT NOT NULL, tag TEXT, state TEXT NOT NULL, venue_order_id INTEGER NOT NULL DEFAULT 0,
            venue_executed TEXT NOT NULL DEFAULT '0', sent_request INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL, reason TEXT);
        CREATE TABLE IF NOT EXISTS fills(
            trade_id INTEGER PRIMARY KEY, client_id TEXT NOT NULL, time INTEGER NOT NULL, side TEXT NOT NULL,
            venue_order_id INTEGER NOT NULL, quantity TEXT NOT NULL, price TEXT NOT NULL, commission TEXT NOT NULL,
            commission_asset TEXT NOT NULL, maker INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS events(
            id INTEGER PRIMARY KEY, time INTEGER NOT NULL, kind TEXT NOT NULL, client_id TEXT, state TEXT,
            request_id INTEGER NOT NULL DEFAULT 0, venue_order_id INTEGER NOT NULL DEFAULT 0, rule TEXT, text TEXT);
        CREATE TABLE IF NOT EXISTS snapshots(id INTEGER PRIMARY KEY, time INTEGER NOT NULL, base TEXT NOT NULL, quote TEXT NOT NULL);
        """;

    /// <summary>
    /// Opens (creating if needed) a journal for writing: WAL, and <c>synchronous=FULL</c> so that a commit is on disk
    /// (the WAL fsynced) when it returns — the durability barrier rests on that, not only on surviving a process crash.
    /// </summary>
    public static SqliteConnection OpenForWriting(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false,
        }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        using (var tx = connection.BeginTransaction())
        {
            Execute(connection, Tables, tx);
            Execute(connection, $"INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', '{Version}');", tx);
            tx.Commit();
        }

        CheckVersion(connection, path);
        return connection;
    }

    /// <summary>Opens an existing journal read-only (a running writer is not disturbed: WAL readers do not block it).</summary>
    public static SqliteConnection OpenForReading(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        connection.Open();
        CheckVersion(connection, path);
        return connection;
    }

    private static void CheckVersion(SqliteConnection connection, string path)
    {
        string? version;
        try
        {
            using var c = connection.CreateCommand();
            c.CommandText = "SELECT value FROM meta WHERE key = 'schema'";
            version = c.ExecuteScalar() as string;
        }
        catch (SqliteException e)
        {
            throw new JournalFormatException($"{path}: not a quant journal ({e.Message.ReplaceLineEndings(" ")})");
        }

        if (version != Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new JournalFormatException($"{path}: not a quant journal (schema version {version ?? "missing"}, expected {Version})");
        }
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var c = connection.CreateCommand();
        c.Transaction = tx;
        c.CommandText = sql;
        c.ExecuteNonQuery();
    }
}
