using Npgsql;

namespace Trading.Study;

/// <summary>
/// Optuna's RDB schema as Optuna 3.0–3.1 create it on PostgreSQL (SQLAlchemy models of optuna/storages/_rdb/models.py,
/// alembic head <see cref="AlembicRevision"/>, version_info.schema_version <see cref="SchemaVersion"/>): the same
/// tables, columns, native enum types, unique constraints and version rows, so that <c>optuna.load_study</c> (which
/// runs <c>create_all</c> with checkfirst and then compares the alembic revision with its head) accepts the database
/// as its own. <see cref="Ensure"/> is idempotent and safe to race: it runs under a transaction-scoped advisory lock.
/// A database that Optuna itself created at the same revision is used as is; any other revision is refused.
/// </summary>
public static class OptunaSchema
{
    /// <summary>The head of Optuna 3.0.0–3.1.x's alembic versions ("Handle inf/-inf for trial_values table").</summary>
    public const string AlembicRevision = "v3.0.0.d";

    /// <summary>models.SCHEMA_VERSION, frozen by Optuna since alembic took over.</summary>
    public const int SchemaVersion = 12;

    /// <summary>What version_info.library_version says when quant created the tables.</summary>
    public const string LibraryVersion = "3.1.0";

    // An arbitrary 64-bit key, the same in every quant process: serialises schema creation across processes.
    private const long SchemaLockKey = 0x5155_414E_5453_5444;

    private static readonly string[] Ddl =
    [
        EnumType("studydirection", "'NOT_SET', 'MINIMIZE', 'MAXIMIZE'"),
        EnumType("trialstate", "'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'"),
        EnumType("trialvaluetype", "'FINITE', 'INF_POS', 'INF_NEG'"),
        EnumType("trialintermediatevaluetype", "'FINITE', 'INF_POS', 'INF_NEG', 'NAN'"),
        """
        CREATE TABLE IF NOT EXISTS studies (
            study_id SERIAL NOT NULL, study_name VARCHAR(512) NOT NULL, PRIMARY KEY (study_id))
        """,
        "CREATE UNIQUE INDEX IF NOT EXISTS ix_studies_study_name ON studies (study_name)",
        """
        CREATE TABLE IF NOT EXISTS version_info (
            version_info_id INTEGER NOT NULL, schema_version INTEGER, library_version VARCHAR(256),
            PRIMARY KEY (version_info_id), CHECK (version_info_id=1))
        """,
        """
        CREATE TABLE IF NOT EXISTS study_directions (
            study_direction_id SERIAL NOT NULL, direction studydirection NOT NULL, study_id INTEGER NOT NULL,
            objective INTEGER NOT NULL, PRIMARY KEY (study_direction_id), UNIQUE (study_id, objective),
            FOREIGN KEY(study_id) REFERENCES studies (study_id))
        """,
        Attributes("study_user_attributes", "study_user_attribute_id", "study_id", "studies"),
        Attributes("study_system_attributes", "study_system_attribute_id", "study_id", "studies"),
        """
        CREATE TABLE IF NOT EXISTS trials (
            trial_id SERIAL NOT NULL, number INTEGER, study_id INTEGER, state trialstate NOT NULL,
            datetime_start TIMESTAMP WITHOUT TIME ZONE, datetime_complete TIMESTAMP WITHOUT TIME ZONE,
            PRIMARY KEY (trial_id), FOREIGN KEY(study_id) REFERENCES studies (study_id))
        """,
        Attributes("trial_user_attributes", "trial_user_attribute_id", "trial_id", "trials"),
        Attributes("trial_system_attributes", "trial_system_attribute_id", "trial_id", "trials"),
        """
        CREATE TABLE IF NOT EXISTS trial_params (
            param_id SERIAL NOT NULL, trial_id INTEGER, param_name VARCHAR(512), param_value FLOAT(53),
            distribution_json TEXT, PRIMARY KEY (param_id), UNIQUE (trial_id, param_name),
            FOREIGN KEY(trial_id) REFERENCES trials (trial_id))
        """,
        """
        CREATE TABLE IF NOT EXISTS trial_values (
            trial_value_id SERIAL NOT NULL, trial_id INTEGER NOT NULL, objective INTEGER NOT NULL, value FLOAT(53),
            value_type trialvaluetype NOT NULL, PRIMARY KEY (trial_value_id), UNIQUE (trial_id, objective),
            FOREIGN KEY(trial_id) REFERENCES trials (trial_id))
        """,
        """
        CREATE TABLE IF NOT EXISTS trial_intermediate_values (
            trial_intermediate_value_id SERIAL NOT NULL, trial_id INTEGER NOT NULL, step INTEGER NOT NULL,
            intermediate_value FLOAT(53), intermediate_value_type trialintermediatevaluetype NOT NULL,
            PRIMARY KEY (trial_intermediate_value_id), UNIQUE (trial_id, step), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))
        """,
        """
        CREATE TABLE IF NOT EXISTS trial_heartbeats (
            trial_heartbeat_id SERIAL NOT NULL, trial_id INTEGER NOT NULL, heartbeat TIMESTAMP WITHOUT TIME ZONE NOT NULL,
            PRIMARY KEY (trial_heartbeat_id), UNIQUE (trial_id), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))
        """,
        """
        CREATE TABLE IF NOT EXISTS alembic_version (
            version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))
        """,
    ];

    /// <summary>Creates the schema when absent; refuses (one line) a database at another Optuna revision.</summary>
    public static void Ensure(NpgsqlConnection connection)
    {
        using var tx = connection.BeginTransaction();
        Exec(connection, tx, $"SELECT pg_advisory_xact_lock({SchemaLockKey})");
        using (var probe = new NpgsqlCommand("SELECT to_regclass('alembic_version') IS NOT NULL", connection, tx))
        {
            if ((bool)probe.ExecuteScalar()!)
            {
                using var read = new NpgsqlCommand("SELECT version_num FROM alembic_version", connection, tx);
                var revision = read.ExecuteScalar() as string;
                if (revision == AlembicRevision)
                {
                    EnsureQueueIndex(connection, tx);
                    tx.Commit();
                    return;
                }

                if (revision is not null)
                {
                    throw new StudyException(
                        $"the database holds an Optuna schema at revision {revision}; quant reads and writes {AlembicRevision} (Optuna 3.0-3.1) only");
                }
            }
        }

        foreach (var statement in Ddl)
        {
            Exec(connection, tx, statement);
        }

        Exec(connection, tx, $"INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, {SchemaVersion}, '{LibraryVersion}') ON CONFLICT DO NOTHING");
        Exec(connection, tx, $"INSERT INTO alembic_version (version_num) VALUES ('{AlembicRevision}') ON CONFLICT DO NOTHING");
        EnsureQueueIndex(connection, tx);
        tx.Commit();
    }

    /// <summary>
    /// quant's one addition: an index for the claim query (lowest-numbered WAITING trial of a study), which Optuna's
    /// schema lacks; Optuna ignores extra indexes. Created only when absent (checked first, so that a joining process
    /// does not queue a table lock behind the running workers' transactions).
    /// </summary>
    private static void EnsureQueueIndex(NpgsqlConnection connection, NpgsqlTransaction tx)
    {
        using var probe = new NpgsqlCommand("SELECT to_regclass('ix_quant_trials_queue') IS NULL", connection, tx);
        if ((bool)probe.ExecuteScalar()!)
        {
            Exec(connection, tx, "CREATE INDEX IF NOT EXISTS ix_quant_trials_queue ON trials (study_id, state, number)");
        }
    }

    private static string EnumType(string name, string labels) =>
        $"DO $$ BEGIN IF to_regtype('{name}') IS NULL THEN CREATE TYPE {name} AS ENUM ({labels}); END IF; END $$";

    private static string Attributes(string table, string id, string owner, string ownerTable) => $"""
        CREATE TABLE IF NOT EXISTS {table} (
            {id} SERIAL NOT NULL, {owner} INTEGER, key VARCHAR(512), value_json TEXT, PRIMARY KEY ({id}),
            UNIQUE ({owner}, key), FOREIGN KEY({owner}) REFERENCES {ownerTable} ({owner}))
        """;

    private static void Exec(NpgsqlConnection connection, NpgsqlTransaction tx, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, tx);
        command.ExecuteNonQuery();
    }
}
