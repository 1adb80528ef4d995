using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Trading.Live.Journal;

/// <summary>
/// The prepared statements that write records, one set per writer connection, reused for every record (worker thread
/// only). Every statement is idempotent for its record: an intent is inserted once per client id, a fill once per
/// trade id, and a state never overwrites a final one (a late or duplicated answer cannot reopen a finished order).
/// </summary>
internal sealed class JournalStatements : IDisposable
{
    private const string NotFinal = "state NOT IN ('Filled','Canceled','Rejected','Expired')";

    private readonly SqliteCommand _intent;
    private readonly SqliteCommand _sent;
    private readonly SqliteCommand _state;
    private readonly SqliteCommand _fill;
    private readonly SqliteCommand _fillState;
    private readonly SqliteCommand _event;
    private readonly SqliteCommand _snapshot;
    private readonly SqliteCommand[] _all;

    public JournalStatements(SqliteConnection connection)
    {
        _intent = Prepare(connection, """
            INSERT OR IGNORE INTO orders(client_id, created, side, type, tif, quantity, price, stop_price, quote_quantity, tag, state, updated)
            VALUES ($id, $time, $side, $type, $tif, $qty, $price, $stop, $quote, $text, $state, $time)
            """, "$id", "$time", "$side", "$type", "$tif", "$qty", "$price", "$stop", "$quote", "$text", "$state");
        _sent = Prepare(connection, "UPDATE orders SET sent_request = $req, updated = $time WHERE client_id = $id",
            "$id", "$time", "$req");
        _state = Prepare(connection, $"""
            UPDATE orders SET state = $state, updated = $time,
                venue_order_id = CASE WHEN $venue <> 0 THEN $venue ELSE venue_order_id END,
                venue_executed = CASE WHEN $cum IS NULL THEN venue_executed ELSE $cum END,
                reason = COALESCE($text, reason)
            WHERE client_id = $id AND {NotFinal}
            """, "$id", "$time", "$state", "$venue", "$cum", "$text");
        _fill = Prepare(connection, """
            INSERT OR IGNORE INTO fills(trade_id, client_id, time, side, venue_order_id, quantity, price, commission, commission_asset, maker)
            VALUES ($trade, $id, $time, $side, $venue, $qty, $price, $fee, $asset, $maker)
            """, "$trade", "$id", "$time", "$side", "$venue", "$qty", "$price", "$fee", "$asset", "$maker");
        _fillState = Prepare(connection, $"""
            UPDATE orders SET state = $state, updated = $time, venue_executed = $cum,
                venue_order_id = CASE WHEN $venue <> 0 THEN $venue ELSE venue_order_id END
            WHERE client_id = $id AND {NotFinal}
            """, "$id", "$time", "$state", "$venue", "$cum");
        _event = Prepare(connection, """
            INSERT INTO events(time, kind, client_id, state, request_id, venue_order_id, rule, text)
            VALUES ($time, $kind, $id, $state, $req, $venue, $rule, $text)
            """, "$time", "$kind", "$id", "$state", "$req", "$venue", "$rule", "$text");
        _snapshot = Prepare(connection, "INSERT INTO snapshots(time, base, quote) VALUES ($time, $base, $quote)",
            "$time", "$base", "$quote");
        _all = [_intent, _sent, _state, _fill, _fillState, _event, _snapshot];
    }

    /// <summary>Binds every statement to <paramref name="tx"/> (the batch's transaction).</summary>
    public void Enlist(SqliteTransaction tx)
    {
        foreach (var c in _all)
        {
            c.Transaction = tx;
        }
    }

    public void Write(in JournalRecord r)
    {
        switch (r.Kind)
        {
            case JournalRecordKind.Intent:
                Run(_intent, r.ClientOrderId, r.Time, r.Side.ToString(), r.Type.ToString(), r.TimeInForce.ToString(),
                    Text(r.Quantity), Text(r.Price), Text(r.StopPrice), Text(r.QuoteQuantity), r.Text, r.State.ToString());
                Event(r);
                break;
            case JournalRecordKind.Sent:
                Run(_sent, r.ClientOrderId, r.Time, r.RequestId);
                Event(r);
                break;
            case JournalRecordKind.Ack:
            case JournalRecordKind.CancelRequested:
            case JournalRecordKind.State:
                Run(_state, r.ClientOrderId, r.Time, r.State.ToString(), r.VenueOrderId,
                    r.Kind == JournalRecordKind.CancelRequested ? null : Text(r.CumulativeQuantity), r.Text);
                Event(r);
                break;
            case JournalRecordKind.Fill:
                Bind(_fill, r.TradeId, r.ClientOrderId, r.Time, r.Side.ToString(), r.VenueOrderId, Text(r.LastQuantity),
                    Text(r.LastPrice), Text(r.Commission), r.CommissionAsset.ToString(), r.IsMaker ? 1 : 0);
                if (_fill.ExecuteNonQuery() == 1)
                {
                    // Only a new trade moves the order: a duplicate report must not touch its state.
                    Run(_fillState, r.ClientOrderId, r.Time, r.State.ToString(), r.VenueOrderId, Text(r.CumulativeQuantity));
                }

                return;
            case JournalRecordKind.RiskTrip:
                Event(r);
                break;
            case JournalRecordKind.Snapshot:
                Run(_snapshot, r.Time, Text(r.Base), Text(r.Quote));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(r), r.Kind, "unknown journal record kind");
        }
    }

    private void Event(in JournalRecord r)
    {
        Bind(_event, r.Time, r.Kind.ToString(), r.ClientOrderId,
            r.Kind == JournalRecordKind.RiskTrip ? null : r.State.ToString(), r.RequestId, r.VenueOrderId,
            r.Kind == JournalRecordKind.RiskTrip ? r.Rule.ToString() : null, r.Text);
        _event.ExecuteNonQuery();
    }

    private static void Run(SqliteCommand c, params object?[] values)
    {
        Bind(c, values);
        c.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand c, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            c.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] names)
    {
        var c = connection.CreateCommand();
        c.CommandText = sql;
        foreach (var n in names)
        {
            c.Parameters.Add(new SqliteParameter { ParameterName = n });
        }

        return c;
    }

    public void Dispose()
    {
        foreach (var c in _all)
        {
            c.Dispose();
        }
    }
}
