using Npgsql;

namespace Trading.Study.Tests;

/// <summary>
/// The schema quant creates is Optuna 3.1's own: the same tables, columns, types, enum labels, constraints, indexes
/// and version rows as Debian's Optuna creates in an empty database (quant's one extra index aside); and a database
/// Optuna initialised is one quant uses as is.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OptunaSchemaTests(ClusterFixture fixture)
{
    private const string Catalog = """
        SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || udt_name || ' ' || is_nullable || ' ' || coalesce(character_maximum_length::text, '-') || ' ' || coalesce(column_default, '-')
          FROM information_schema.columns WHERE table_schema = 'public'
        UNION ALL
        SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
          FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname
        UNION ALL
        SELECT 'constraint ' || c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
          FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
        UNION ALL
        SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname <> 'ix_quant_trials_queue'
        UNION ALL
        SELECT 'version ' || schema_version || ' ' || (SELECT version_num FROM alembic_version) FROM version_info
        ORDER BY 1
        """;

    [OptunaFact]
    public void Quant_creates_the_schema_optuna_creates()
    {
        var byOptuna = fixture.Cluster.CreateDatabase("byoptuna");
        var init = DebianOptuna.Run(DebianOptuna.Python, "-c", "import sys, optuna; optuna.storages.RDBStorage(sys.argv[1])", byOptuna);
        Assert.True(init.ExitCode == 0, init.Stderr);
        var byQuant = fixture.Cluster.CreateDatabase("byquant");
        using (var c = PostgresCluster.Connect(byQuant))
        {
            OptunaSchema.Ensure(c);
        }

        var expected = Describe(byOptuna);
        Assert.Contains($"version {OptunaSchema.SchemaVersion} {OptunaSchema.AlembicRevision}", expected);
        Assert.True(expected.Count > 100, string.Join("\n", expected)); // 12 tables, 4 enums, their constraints and indexes
        Assert.Equal(expected, Describe(byQuant));

        // Optuna's own database is used as is (same revision), gaining only the claim index.
        using (var c = PostgresCluster.Connect(byOptuna))
        {
            OptunaSchema.Ensure(c);
        }

        Assert.Equal(expected, Describe(byOptuna));
    }

    [PostgresFact]
    public void Another_optuna_revision_is_refused_in_one_line()
    {
        var url = fixture.Cluster.CreateDatabase("newer");
        using var c = PostgresCluster.Connect(url);
        OptunaSchema.Ensure(c);
        using (var bump = new NpgsqlCommand("UPDATE alembic_version SET version_num = 'v3.2.0.a'", c))
        {
            bump.ExecuteNonQuery();
        }

        var e = Assert.Throws<StudyException>(() => OptunaSchema.Ensure(c));
        Assert.Equal("the database holds an Optuna schema at revision v3.2.0.a; quant reads and writes v3.0.0.d (Optuna 3.0-3.1) only", e.Message);
    }

    private static List<string> Describe(string url)
    {
        using var c = PostgresCluster.Connect(url);
        using var command = new NpgsqlCommand(Catalog, c);
        using var r = command.ExecuteReader();
        var rows = new List<string>();
        while (r.Read())
        {
            rows.Add(r.GetString(0));
        }

        return rows;
    }
}
