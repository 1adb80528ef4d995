using System.Net.Sockets;
using Npgsql;
using Trading.Core.Strategies;
using Trading.Optimizer.Backtesting;
using Trading.Optimizer.Running;

namespace Trading.Study;

/// <summary>
/// A PostgreSQL database holding studies in Optuna's schema (<see cref="OptunaSchema"/>). Every operation is one short
/// transaction on a pooled connection, retried with backoff (0.25 s doubling, about 30 s in all) when the connection
/// fails; after that a <see cref="StudyException"/> says in one line that the database is lost. A retried write is
/// safe: each is conditional on the state it expects (see <see cref="StudyQueue"/>). Thread-safe.
/// </summary>
public sealed class StudyStore : IDisposable
{
    internal const string BatchKey = "quant:batch";
    internal const string BatchesKey = "quant:batches";
    internal const string FinishedKey = "quant:finished";
    internal const string WorkerKey = "quant:worker";
    internal const string ResultKey = "quant:result";
    internal const string ParamsKey = "quant:params";
    internal const string ArgumentsKey = "quant:arguments";

    private readonly NpgsqlDataSource _source;
    private readonly TimeSpan _firstRetry;
    private readonly int _attempts;

    private StudyStore(StudyUrl url, TimeSpan firstRetry, int attempts)
    {
        Url = url;
        _source = NpgsqlDataSource.Create(url.ConnectionString);
        _firstRetry = firstRetry;
        _attempts = attempts;
    }

    public StudyUrl Url { get; }

    public static StudyStore Open(StudyUrl url) => new(url, TimeSpan.FromMilliseconds(250), 8);

    /// <summary>With another retry budget (tests: a lost database is reported without waiting half a minute).</summary>
    internal static StudyStore Open(StudyUrl url, TimeSpan firstRetry, int attempts) => new(url, firstRetry, attempts);

    public void Dispose() => _source.Dispose();

    /// <summary>Creates the study (and the schema) or joins the existing one when its definition is the same.</summary>
    public Study CreateOrJoin(string name, StudySetup setup) => Run(connection =>
    {
        OptunaSchema.Ensure(connection);
        using var tx = connection.BeginTransaction();
        Lock(connection, tx, name);
        var existing = Find(connection, tx, name, setup);
        if (existing is not null)
        {
            tx.Commit();
            return existing;
        }

        var id = Scalar<int>(connection, tx, "INSERT INTO studies (study_name) VALUES (@n) RETURNING study_id", ("n", name));
        Exec(connection, tx, "INSERT INTO study_directions (direction, study_id, objective) VALUES ('MAXIMIZE', @s, 0)", ("s", id));
        var d = setup.Definition;
        SetStudyAttributes(connection, tx, "study_system_attributes", id, [(StudyDefinition.AttributeKey, d.ToJson()), (BatchesKey, "0"), (FinishedKey, "false")]);
        SetStudyAttributes(connection, tx, "study_user_attributes", id,
        [
            ("strategy", Json(d.Strategy)), ("parameters", Json(d.Parameters)), ("space", Json(d.Space)), ("objective", Json(d.Objective)),
            ("min_trades", Json(d.MinTrades)), ("search", Json(d.Search)), ("data", Json(d.Data)), ("fill", Json(d.Fill)),
        ]);
        if (setup.Arguments is { } arguments)
        {
            SetStudyAttribute(connection, tx, id, ArgumentsKey, System.Text.Json.JsonSerializer.Serialize(arguments.ToArray()));
        }

        var study = new Study(id, name, setup);

        // Batch 0 now (the whole of a grid or random search): the trials exist before any worker can claim.
        StudyQueue.Propose(connection, tx, study);
        tx.Commit();
        return study;
    });

    /// <summary>Joins an existing study with the same definition; null when there is no study of that name yet.</summary>
    public Study? TryJoin(string name, StudySetup setup) => Run(connection =>
    {
        using var tx = connection.BeginTransaction();
        if (!Scalar<bool>(connection, tx, "SELECT to_regclass('studies') IS NOT NULL AND to_regclass('alembic_version') IS NOT NULL"))
        {
            return null;
        }

        tx.Commit();
        OptunaSchema.Ensure(connection);
        using var tx2 = connection.BeginTransaction();
        var study = Find(connection, tx2, name, setup);
        tx2.Commit();
        return study;
    });

    /// <summary>Joins the study, waiting up to <paramref name="wait"/> for it to be created.</summary>
    public Study WaitFor(string name, StudySetup setup, TimeSpan wait, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            if (TryJoin(name, setup) is { } study)
            {
                return study;
            }

            if (DateTime.UtcNow >= deadline || cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250)))
            {
                throw new StudyException($"study '{name}' does not exist at {Url.Display} (waited {wait.TotalSeconds:0} s; start the creating `quant optimize --study` first or raise --wait)");
            }
        }
    }

    /// <summary>
    /// The arguments the study was created with (<see cref="StudySetup.Arguments"/>), waiting up to
    /// <paramref name="wait"/> for the study to be created.
    /// </summary>
    public IReadOnlyList<string> WaitForArguments(string name, TimeSpan wait, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var found = Run<(bool Exists, string? Json)>(connection =>
            {
                using var tx = connection.BeginTransaction();
                if (!Scalar<bool>(connection, tx, "SELECT to_regclass('studies') IS NOT NULL AND to_regclass('study_system_attributes') IS NOT NULL"))
                {
                    return (false, null);
                }

                using var find = Command(connection, tx, "SELECT study_id FROM studies WHERE study_name = @n", ("n", name));
                return find.ExecuteScalar() is int id ? (true, StudyAttribute(connection, tx, id, ArgumentsKey)) : (false, null);
            });
            if (found.Exists)
            {
                return found.Json is { } json
                    ? System.Text.Json.JsonSerializer.Deserialize<string[]>(json) ?? []
                    : throw new StudyException($"study '{name}' has no stored arguments: give the worker the same strategy, data and search arguments as the creator");
            }

            if (DateTime.UtcNow >= deadline || cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250)))
            {
                throw new StudyException($"study '{name}' does not exist at {Url.Display} (waited {wait.TotalSeconds:0} s; start the creating `quant optimize --study` first or raise --wait)");
            }
        }
    }

    /// <summary>Progress of a study by name; null when it does not exist.</summary>
    public StudyStatus? Status(string name, TimeSpan heartbeat) => Run(connection =>
    {
        using var tx = connection.BeginTransaction();
        if (!Scalar<bool>(connection, tx, "SELECT to_regclass('studies') IS NOT NULL"))
        {
            return null;
        }

        using var find = Command(connection, tx, "SELECT study_id FROM studies WHERE study_name = @n", ("n", name));
        if (find.ExecuteScalar() is not int id)
        {
            return null;
        }

        var definition = StudyDefinition.FromJson(StudyAttribute(connection, tx, id, StudyDefinition.AttributeKey)
            ?? throw new StudyException($"study '{name}' was not created by quant (it has no {StudyDefinition.AttributeKey})"));
        int done = 0, running = 0, queued = 0;
        using (var counts = Command(connection, tx, "SELECT state::text, count(*)::int FROM trials WHERE study_id = @s GROUP BY state", ("s", id)))
        using (var r = counts.ExecuteReader())
        {
            while (r.Read())
            {
                switch (r.GetString(0))
                {
                    case "COMPLETE" or "PRUNED" or "FAIL":
                        done += r.GetInt32(1);
                        break;
                    case "RUNNING":
                        running += r.GetInt32(1);
                        break;
                    case "WAITING":
                        queued += r.GetInt32(1);
                        break;
                }
            }
        }

        var workers = Scalar<int>(connection, tx, """
            SELECT count(DISTINCT a.value_json)::int FROM trials t
            JOIN trial_system_attributes a ON a.trial_id = t.trial_id AND a.key = @k
            JOIN trial_heartbeats h ON h.trial_id = t.trial_id
            WHERE t.study_id = @s AND t.state = 'RUNNING' AND h.heartbeat >= LOCALTIMESTAMP - make_interval(secs => @secs)
            """, ("k", WorkerKey), ("s", id), ("secs", heartbeat.TotalSeconds));
        int? bestTrial = null;
        double? bestValue = null;
        string? bestParams = null;
        using (var best = Command(connection, tx, """
            SELECT t.number, v.value, v.value_type::text, a.value_json FROM trials t
            JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
            LEFT JOIN trial_system_attributes a ON a.trial_id = t.trial_id AND a.key = @k
            WHERE t.study_id = @s AND t.state = 'COMPLETE'
            ORDER BY v.value_type = 'INF_POS' DESC, v.value_type = 'INF_NEG', v.value DESC, t.number LIMIT 1
            """, ("k", ParamsKey), ("s", id)))
        using (var r = best.ExecuteReader())
        {
            if (r.Read())
            {
                bestTrial = r.GetInt32(0);
                bestValue = StudyQueue.StoredValue(r.IsDBNull(1) ? null : r.GetDouble(1), r.GetString(2));
                bestParams = r.IsDBNull(3) ? null : System.Text.Json.JsonSerializer.Deserialize<string>(r.GetString(3));
            }
        }

        var finished = StudyAttribute(connection, tx, id, FinishedKey) == "true";
        tx.Commit();
        return new StudyStatus
        {
            Study = name,
            Objective = definition.Objective,
            Search = definition.Search,
            Done = done,
            Running = running,
            Queued = queued,
            WorkersAlive = workers,
            Finished = finished,
            BestTrial = bestTrial,
            BestValue = bestValue,
            BestParameters = bestParams,
        };
    });

    /// <summary>Every finished trial, in number order, with its metrics: what a single-process run returns.</summary>
    public IReadOnlyList<Trial<RunMetrics>> Results(Study study) => Run(connection =>
    {
        using var tx = connection.BeginTransaction();
        var trials = StudyQueue.LoadFinished(connection, tx, study, withMetrics: true);
        tx.Commit();
        return trials.Select(t => new Trial<RunMetrics>(t.Number, t.Parameters, t.Metrics!, t.Score)).ToArray();
    });

    /// <summary>Trials finished so far (for a progress bar that counts every worker's runs).</summary>
    public int CountFinished(Study study) => Run(connection =>
    {
        using var command = Command(connection, null, "SELECT count(*)::int FROM trials WHERE study_id = @s AND state IN ('COMPLETE', 'PRUNED')", ("s", study.Id));
        return (int)command.ExecuteScalar()!;
    });

    /// <summary>
    /// Runs <paramref name="work"/> on an open connection; on a connection failure (not an SQL error) retries on a
    /// fresh one with backoff, then gives up with one line.
    /// </summary>
    internal T Run<T>(Func<NpgsqlConnection, T> work)
    {
        var delay = _firstRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = _source.OpenConnection();
                return work(connection);
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
                if (attempt >= _attempts)
                {
                    throw new StudyException($"lost the study database {Url.Display} after {attempt} attempts: {Reason(e)}", e);
                }

                Thread.Sleep(delay); // backoff between reconnects of a worker thread (never a UI or event-loop thread)
                delay *= 2;
            }
            catch (PostgresException e) when (e.SqlState is "28000" or "28P01" or "3D000")
            {
                throw new StudyException($"study database {Url.Display}: {e.MessageText}", e);
            }
        }
    }

    internal void Run(Action<NpgsqlConnection> work) => Run(c =>
    {
        work(c);
        return 0;
    });

    private static bool IsConnectionFailure(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState is "57P01" or "57P02" or "57P03",
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or SocketException || n.InnerException is TimeoutException,
        _ => false,
    };

    private static string Reason(Exception e) => (e.InnerException ?? e).Message.Split('\n')[0];

    private static Study? Find(NpgsqlConnection connection, NpgsqlTransaction tx, string name, StudySetup setup)
    {
        using var find = Command(connection, tx, "SELECT study_id FROM studies WHERE study_name = @n", ("n", name));
        if (find.ExecuteScalar() is not int id)
        {
            return null;
        }

        var stored = StudyAttribute(connection, tx, id, StudyDefinition.AttributeKey)
            ?? throw new StudyException($"study '{name}' exists but was not created by quant (it has no {StudyDefinition.AttributeKey}); choose another --study-name");
        var differences = StudyDefinition.FromJson(stored).Differences(setup.Definition);
        if (differences.Count > 0)
        {
            throw new StudyException($"study '{name}' exists with a different definition ({string.Join(", ", differences)} differ); use the same arguments or another --study-name");
        }

        return new Study(id, name, setup);
    }

    // Serialises creators of one study name; different names do not wait for each other.
    private static void Lock(NpgsqlConnection connection, NpgsqlTransaction tx, string name) =>
        Exec(connection, tx, "SELECT pg_advisory_xact_lock(hashtext('quant-study:' || @n))", ("n", name));

    internal static string? StudyAttribute(NpgsqlConnection connection, NpgsqlTransaction? tx, int study, string key)
    {
        using var command = Command(connection, tx, "SELECT value_json FROM study_system_attributes WHERE study_id = @s AND key = @k", ("s", study), ("k", key));
        return command.ExecuteScalar() as string;
    }

    internal static void SetStudyAttribute(NpgsqlConnection connection, NpgsqlTransaction tx, int study, string key, string json) =>
        Exec(connection, tx, """
            INSERT INTO study_system_attributes (study_id, key, value_json) VALUES (@s, @k, @v)
            ON CONFLICT (study_id, key) DO UPDATE SET value_json = EXCLUDED.value_json
            """, ("s", study), ("k", key), ("v", json));

    private static void SetStudyAttributes(NpgsqlConnection connection, NpgsqlTransaction tx, string table, int study, (string Key, string Json)[] values) =>
        Exec(connection, tx, $"INSERT INTO {table} (study_id, key, value_json) SELECT @s, k, v FROM unnest(@k, @v) AS x(k, v)",
            ("s", study), ("k", values.Select(v => v.Key).ToArray()), ("v", values.Select(v => v.Json).ToArray()));

    internal static string Json(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    internal static string Json(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var (n, v) in parameters)
        {
            command.Parameters.AddWithValue(n, v);
        }

        return command;
    }

    internal static void Exec(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        command.ExecuteNonQuery();
    }

    internal static T Scalar<T>(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        return (T)command.ExecuteScalar()!;
    }

    internal static ParameterSet Point(Study study, IReadOnlyDictionary<string, double> stored, int number)
    {
        var digits = new int[study.Distributions.Count];
        for (var a = 0; a < digits.Length; a++)
        {
            var d = study.Distributions[a];
            if (!stored.TryGetValue(d.Name, out var v) || (digits[a] = d.Digit(v)) < 0)
            {
                throw new StudyException($"trial {number} of study '{study.Name}' is not a point of this space (parameter {d.Name})");
            }
        }

        return study.Setup.Space.At(digits);
    }
}
