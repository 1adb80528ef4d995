using System.Globalization;
using System.Text.Json;
using Npgsql;
using Trading.Optimizer.Backtesting;
using Trading.Optimizer.Running;

namespace Trading.Study;

/// <summary>
/// The trial queue inside Optuna's tables. A trial is WAITING (queued), RUNNING (claimed: a trial_heartbeats row and a
/// <c>quant:worker</c> attribute name the claim) or COMPLETE / PRUNED (finished; PRUNED = discarded by --min-trades,
/// no value). The rules that make any number of workers give the single-process result:
/// <list type="bullet">
/// <item>a claim takes the lowest-numbered WAITING trial with <c>FOR UPDATE SKIP LOCKED</c>, so two workers never
/// take the same row and never wait for each other;</item>
/// <item>a result is written only if the trial is still RUNNING under the same claim, in the transaction that
/// finishes it, so a trial is counted once even when a worker thought dead comes back;</item>
/// <item>a RUNNING trial whose heartbeat is older than the timeout goes back to WAITING (Optuna's fail_stale_trials
/// marks it FAIL instead; here it must still run, because the study's results are every point's);</item>
/// <item>batch k is proposed only when no trial is WAITING or RUNNING (all batches before k are finished), under the
/// studies row lock, by replaying a fresh search over batches 0…k−1's stored results, exactly the inputs
/// <see cref="SearchRunner"/> gives it in one process.</item>
/// </list>
/// Times are the database's (LOCALTIMESTAMP), so workers on machines with skewed clocks agree on staleness.
/// </summary>
public static class StudyQueue
{
    /// <summary>The metrics copied into trial_user_attributes for Optuna and its dashboard (the full record is in quant:result).</summary>
    private static readonly (string Key, Func<RunMetrics, object> Value)[] UserMetrics =
    [
        ("trades", r => r.Metrics.Trades),
        ("open_trades", r => r.Metrics.OpenTrades),
        ("final_equity", r => r.Metrics.FinalEquity),
        ("total_return_pct", r => r.Metrics.TotalReturnPct),
        ("cagr_pct", r => r.Metrics.CagrPct),
        ("buy_hold_return_pct", r => r.Metrics.BuyHoldReturnPct),
        ("volatility_pct", r => r.Metrics.VolatilityPct),
        ("sharpe", r => r.Metrics.Sharpe),
        ("sortino", r => r.Metrics.Sortino),
        ("calmar", r => r.Metrics.Calmar),
        ("max_drawdown_pct", r => r.Metrics.MaxDrawdownPct),
        ("win_rate_pct", r => r.Metrics.WinRatePct),
        ("profit_factor", r => r.Metrics.ProfitFactor),
        ("expectancy", r => r.Metrics.Expectancy),
        ("exposure_pct", r => r.Metrics.ExposurePct),
        ("fees", r => r.Metrics.Fees),
        ("fills", r => r.Fills),
        ("rejected_orders", r => r.RejectedOrders),
        ("order_list_hash", r => r.OrderListHash),
    ];

    private static readonly JsonSerializerOptions NumberJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Takes the next queued trial for <paramref name="worker"/>; null when none is queued.</summary>
    public static ClaimedTrial? Claim(StudyStore store, Study study, string worker) => store.Run(connection =>
    {
        using var tx = connection.BeginTransaction();
        int trialId, number;
        using (var claim = StudyStore.Command(connection, tx, """
            WITH c AS (SELECT trial_id FROM trials WHERE study_id = @s AND state = 'WAITING' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
            UPDATE trials t SET state = 'RUNNING', datetime_start = LOCALTIMESTAMP FROM c WHERE t.trial_id = c.trial_id
            RETURNING t.trial_id, t.number
            """, ("s", study.Id)))
        using (var r = claim.ExecuteReader())
        {
            if (!r.Read())
            {
                return null;
            }

            trialId = r.GetInt32(0);
            number = r.GetInt32(1);
        }

        StudyStore.Exec(connection, tx, """
            INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (@t, LOCALTIMESTAMP)
            ON CONFLICT (trial_id) DO UPDATE SET heartbeat = EXCLUDED.heartbeat
            """, ("t", trialId));
        StudyStore.Exec(connection, tx, """
            INSERT INTO trial_system_attributes (trial_id, key, value_json) VALUES (@t, @k, @w)
            ON CONFLICT (trial_id, key) DO UPDATE SET value_json = EXCLUDED.value_json
            """, ("t", trialId), ("k", StudyStore.WorkerKey), ("w", StudyStore.Json(worker)));
        var stored = new Dictionary<string, double>(StringComparer.Ordinal);
        using (var p = StudyStore.Command(connection, tx, "SELECT param_name, param_value FROM trial_params WHERE trial_id = @t", ("t", trialId)))
        using (var r = p.ExecuteReader())
        {
            while (r.Read())
            {
                stored[r.GetString(0)] = r.GetDouble(1);
            }
        }

        tx.Commit();
        return new ClaimedTrial(trialId, number, StudyStore.Point(study, stored, number));
    });

    /// <summary>
    /// Finishes a claimed trial with its metrics and score (null: discarded). False when the claim was lost (it went
    /// stale and was returned to the queue): nothing is written, the trial counts once, for whoever holds it.
    /// </summary>
    public static bool Complete(StudyStore store, ClaimedTrial trial, string worker, RunMetrics metrics, double? score) => store.Run(connection =>
    {
        using var tx = connection.BeginTransaction();
        var updated = StudyStore.Command(connection, tx, """
            UPDATE trials SET state = @st::trialstate, datetime_complete = LOCALTIMESTAMP
            WHERE trial_id = @t AND state = 'RUNNING'
              AND EXISTS (SELECT 1 FROM trial_system_attributes a WHERE a.trial_id = @t AND a.key = @k AND a.value_json = @w)
            """, ("st", score is null ? "PRUNED" : "COMPLETE"), ("t", trial.TrialId), ("k", StudyStore.WorkerKey), ("w", StudyStore.Json(worker)));
        using (updated)
        {
            if (updated.ExecuteNonQuery() != 1)
            {
                return false;
            }
        }

        if (score is double s)
        {
            var (value, type) = double.IsPositiveInfinity(s) ? ((object)DBNull.Value, "INF_POS") : double.IsNegativeInfinity(s) ? (DBNull.Value, "INF_NEG") : (s, "FINITE");
            StudyStore.Exec(connection, tx, "INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (@t, 0, @v, @vt::trialvaluetype)",
                ("t", trial.TrialId), ("v", value), ("vt", type));
        }

        var result = JsonSerializer.Serialize(metrics, StudyJson.Default.RunMetrics);
        using (var attrs = new NpgsqlCommand("INSERT INTO trial_user_attributes (trial_id, key, value_json) SELECT @t, k, v FROM unnest(@k, @v) AS x(k, v)", connection, tx))
        {
            attrs.Parameters.AddWithValue("t", trial.TrialId);
            attrs.Parameters.AddWithValue("k", UserMetrics.Select(m => m.Key).ToArray());
            attrs.Parameters.AddWithValue("v", UserMetrics.Select(m => JsonSerializer.Serialize(m.Value(metrics), NumberJson)).ToArray());
            attrs.ExecuteNonQuery();
        }

        StudyStore.Exec(connection, tx, "INSERT INTO trial_system_attributes (trial_id, key, value_json) VALUES (@t, @k, @v)",
            ("t", trial.TrialId), ("k", StudyStore.ResultKey), ("v", result));
        StudyStore.Exec(connection, tx, "DELETE FROM trial_heartbeats WHERE trial_id = @t", ("t", trial.TrialId));
        tx.Commit();
        return true;
    });

    /// <summary>Refreshes the heartbeat of the trials this worker is running.</summary>
    public static void Beat(StudyStore store, int[] trialIds)
    {
        if (trialIds.Length == 0)
        {
            return;
        }

        store.Run(connection =>
        {
            using var command = new NpgsqlCommand("UPDATE trial_heartbeats SET heartbeat = LOCALTIMESTAMP WHERE trial_id = ANY(@t)", connection);
            command.Parameters.AddWithValue("t", trialIds);
            command.ExecuteNonQuery();
        });
    }

    /// <summary>Returns RUNNING trials whose heartbeat is older than <paramref name="timeout"/> to the queue; their numbers.</summary>
    public static IReadOnlyList<int> ReturnStale(StudyStore store, Study study, TimeSpan timeout) => store.Run(connection =>
    {
        using var tx = connection.BeginTransaction();
        var ids = new List<int>();
        var numbers = new List<int>();
        using (var command = StudyStore.Command(connection, tx, """
            WITH stale AS (
                SELECT t.trial_id FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id
                WHERE t.study_id = @s AND t.state = 'RUNNING' AND h.heartbeat < LOCALTIMESTAMP - make_interval(secs => @secs)
                FOR UPDATE OF t SKIP LOCKED)
            UPDATE trials t SET state = 'WAITING', datetime_start = NULL FROM stale WHERE t.trial_id = stale.trial_id
            RETURNING t.trial_id, t.number
            """, ("s", study.Id), ("secs", timeout.TotalSeconds)))
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                ids.Add(r.GetInt32(0));
                numbers.Add(r.GetInt32(1));
            }
        }

        if (ids.Count > 0)
        {
            using var clear = new NpgsqlCommand("""
                DELETE FROM trial_heartbeats WHERE trial_id = ANY(@t);
                DELETE FROM trial_system_attributes WHERE trial_id = ANY(@t) AND key = @k
                """, connection, tx);
            clear.Parameters.AddWithValue("t", ids.ToArray());
            clear.Parameters.AddWithValue("k", StudyStore.WorkerKey);
            clear.ExecuteNonQuery();
        }

        tx.Commit();
        numbers.Sort();
        return numbers;
    });

    /// <summary>
    /// Called when nothing was claimable: under the studies row lock, proposes the next batch if every trial is
    /// finished, or says whether to wait (others still run) or stop (the search is over).
    /// </summary>
    public static AdvanceResult Advance(StudyStore store, Study study) => store.Run(connection =>
    {
        using var tx = connection.BeginTransaction();
        StudyStore.Exec(connection, tx, "SELECT study_id FROM studies WHERE study_id = @s FOR UPDATE", ("s", study.Id));
        if (StudyStore.StudyAttribute(connection, tx, study.Id, StudyStore.FinishedKey) == "true")
        {
            tx.Commit();
            return AdvanceResult.Finished;
        }

        int waiting, running;
        using (var counts = StudyStore.Command(connection, tx, """
            SELECT count(*) FILTER (WHERE state = 'WAITING')::int, count(*) FILTER (WHERE state = 'RUNNING')::int FROM trials WHERE study_id = @s
            """, ("s", study.Id)))
        using (var r = counts.ExecuteReader())
        {
            r.Read();
            waiting = r.GetInt32(0);
            running = r.GetInt32(1);
        }

        var result = waiting > 0 ? AdvanceResult.Work
            : running > 0 ? AdvanceResult.Wait
            : Propose(connection, tx, study) ? AdvanceResult.Work : AdvanceResult.Finished;
        tx.Commit();
        return result;
    });

    /// <summary>
    /// Proposes batch k (k = batches so far) from the stored results of batches before k, checking on the way that
    /// the replayed search proposes exactly the stored batches. False (and the study marked finished) when the
    /// search has nothing more to propose. The caller holds the studies row lock, with every trial finished.
    /// </summary>
    internal static bool Propose(NpgsqlConnection connection, NpgsqlTransaction tx, Study study)
    {
        var k = int.Parse(StudyStore.StudyAttribute(connection, tx, study.Id, StudyStore.BatchesKey) ?? "0", CultureInfo.InvariantCulture);
        var finished = LoadFinished(connection, tx, study, withMetrics: false);
        IReadOnlyList<Trading.Core.Strategies.ParameterSet>? batch;
        int next;
        lock (study.SearchLock)
        {
            var (search, seen) = study.CachedSearch is { } cached && cached.Batches <= k ? cached : (study.Setup.NewSearch(), 0);
            study.CachedSearch = null; // until this proposal is through: an exception leaves no half-advanced search behind
            var history = new List<ScoredPoint>();
            next = 0;
            for (var b = 0; b < k; b++)
            {
                var stored = finished.Where(t => t.Batch == b).ToArray();
                if (b >= seen)
                {
                    var replayed = search.NextBatch(history) ?? [];
                    if (replayed.Count != stored.Length || !replayed.SequenceEqual(stored.Select(t => t.Parameters)))
                    {
                        throw new StudyException($"study '{study.Name}': batch {b} does not replay to the stored trials (a different quant version or search?)");
                    }
                }

                history.AddRange(stored.Select(t => new ScoredPoint(t.Number, t.Parameters, t.Score)));
                next += stored.Length;
            }

            batch = search.NextBatch(history);
            study.CachedSearch = (search, k + 1);
        }

        if (batch is null || batch.Count == 0)
        {
            StudyStore.SetStudyAttribute(connection, tx, study.Id, StudyStore.FinishedKey, "true");
            return false;
        }

        var numbers = Enumerable.Range(next, batch.Count).ToArray();
        var ids = new int[batch.Count];
        using (var insert = new NpgsqlCommand("INSERT INTO trials (number, study_id, state) SELECT n, @s, 'WAITING' FROM unnest(@n) AS n ORDER BY n RETURNING trial_id, number", connection, tx))
        {
            insert.Parameters.AddWithValue("s", study.Id);
            insert.Parameters.AddWithValue("n", numbers);
            using var r = insert.ExecuteReader();
            while (r.Read())
            {
                ids[r.GetInt32(1) - next] = r.GetInt32(0);
            }
        }

        var axes = study.Setup.Space.Axes;
        var pIds = new List<int>();
        var pNames = new List<string>();
        var pValues = new List<double>();
        var pDists = new List<string>();
        var digits = new int[axes.Count];
        var aIds = new List<int>();
        var aKeys = new List<string>();
        var aValues = new List<string>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (!study.Setup.Space.TryDigits(batch[i], digits))
            {
                throw new StudyException($"study '{study.Name}': proposed trial {next + i} is not a point of the space");
            }

            for (var a = 0; a < axes.Count; a++)
            {
                pIds.Add(ids[i]);
                pNames.Add(axes[a].Name);
                pValues.Add(study.Distributions[a].Internal(digits[a]));
                pDists.Add(study.Distributions[a].Json);
            }

            aIds.Add(ids[i]);
            aKeys.Add(StudyStore.BatchKey);
            aValues.Add(StudyStore.Json(k));
            aIds.Add(ids[i]);
            aKeys.Add(StudyStore.ParamsKey);
            aValues.Add(StudyStore.Json(batch[i].ToString()));
        }

        using (var p = new NpgsqlCommand("INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) SELECT * FROM unnest(@t, @n, @v, @d)", connection, tx))
        {
            p.Parameters.AddWithValue("t", pIds.ToArray());
            p.Parameters.AddWithValue("n", pNames.ToArray());
            p.Parameters.AddWithValue("v", pValues.ToArray());
            p.Parameters.AddWithValue("d", pDists.ToArray());
            p.ExecuteNonQuery();
        }

        using (var s = new NpgsqlCommand("INSERT INTO trial_system_attributes (trial_id, key, value_json) SELECT * FROM unnest(@t, @k, @v)", connection, tx))
        {
            s.Parameters.AddWithValue("t", aIds.ToArray());
            s.Parameters.AddWithValue("k", aKeys.ToArray());
            s.Parameters.AddWithValue("v", aValues.ToArray());
            s.ExecuteNonQuery();
        }

        StudyStore.SetStudyAttribute(connection, tx, study.Id, StudyStore.BatchesKey, StudyStore.Json(k + 1));
        return true;
    }

    /// <summary>Finished trials in number order.</summary>
    internal static List<StoredTrial> LoadFinished(NpgsqlConnection connection, NpgsqlTransaction tx, Study study, bool withMetrics)
    {
        var parameters = new Dictionary<int, Dictionary<string, double>>();
        using (var p = StudyStore.Command(connection, tx, """
            SELECT p.trial_id, p.param_name, p.param_value FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id
            WHERE t.study_id = @s AND t.state IN ('COMPLETE', 'PRUNED')
            """, ("s", study.Id)))
        using (var r = p.ExecuteReader())
        {
            while (r.Read())
            {
                var id = r.GetInt32(0);
                if (!parameters.TryGetValue(id, out var d))
                {
                    parameters[id] = d = new Dictionary<string, double>(StringComparer.Ordinal);
                }

                d[r.GetString(1)] = r.GetDouble(2);
            }
        }

        var trials = new List<StoredTrial>();
        using var command = StudyStore.Command(connection, tx, $"""
            SELECT t.trial_id, t.number, v.value, v.value_type::text, b.value_json, {(withMetrics ? "m.value_json" : "NULL")}
            FROM trials t
            LEFT JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
            LEFT JOIN trial_system_attributes b ON b.trial_id = t.trial_id AND b.key = @bk
            LEFT JOIN trial_system_attributes m ON m.trial_id = t.trial_id AND m.key = @mk
            WHERE t.study_id = @s AND t.state IN ('COMPLETE', 'PRUNED') ORDER BY t.number
            """, ("s", study.Id), ("bk", StudyStore.BatchKey), ("mk", StudyStore.ResultKey));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt32(0);
            var number = reader.GetInt32(1);
            double? score = reader.IsDBNull(3) ? null : StoredValue(reader.IsDBNull(2) ? null : reader.GetDouble(2), reader.GetString(3));
            var batch = reader.IsDBNull(4) ? -1 : int.Parse(reader.GetString(4), CultureInfo.InvariantCulture);
            RunMetrics? metrics = null;
            if (withMetrics)
            {
                metrics = reader.IsDBNull(5) ? throw new StudyException($"trial {number} of study '{study.Name}' has no {StudyStore.ResultKey}")
                    : JsonSerializer.Deserialize(reader.GetString(5), StudyJson.Default.RunMetrics);
            }

            trials.Add(new StoredTrial(id, number, batch, StudyStore.Point(study, parameters.GetValueOrDefault(id) ?? [], number), score, metrics));
        }

        return trials;
    }

    internal static double StoredValue(double? value, string type) => type switch
    {
        "INF_POS" => double.PositiveInfinity,
        "INF_NEG" => double.NegativeInfinity,
        _ => value ?? double.NaN,
    };
}
