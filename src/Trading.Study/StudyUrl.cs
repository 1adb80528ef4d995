using Npgsql;

namespace Trading.Study;

/// <summary>
/// <c>postgresql://user[:password]@host[:port]/database[?host=/socket/dir]</c>, the URL form libpq, psycopg2 and so
/// SQLAlchemy/Optuna accept, turned into an Npgsql connection string. <see cref="Display"/> never holds the password
/// (it may be printed); a password can also come from <c>PGPASSWORD</c> or <c>~/.pgpass</c>, as with libpq.
/// </summary>
public sealed class StudyUrl
{
    private StudyUrl(string connectionString, string display)
    {
        ConnectionString = connectionString;
        Display = display;
    }

    public string ConnectionString { get; }

    /// <summary>user@host:port/database, without the password.</summary>
    public string Display { get; }

    public static StudyUrl Parse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "postgresql" && uri.Scheme != "postgres"))
        {
            throw new StudyException("--study must be a URL postgresql://user@host:port/database");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw new StudyException("--study needs a database name: postgresql://user@host:port/database");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Database = database,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Host = uri.Host.Length > 0 ? uri.Host : "localhost",

            // Workers keep their connections for the whole study; a dead server is noticed by the retry loop.
            ApplicationName = "quant-study",
            IncludeErrorDetail = false,
        };
        var info = uri.UserInfo;
        if (info.Length > 0)
        {
            var colon = info.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? info : info[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(info[(colon + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            switch (key)
            {
                case "host":
                    builder.Host = value;
                    break;
                case "port":
                    builder.Port = int.TryParse(value, out var p) ? p : throw new StudyException($"--study: port '{value}' is not a number");
                    break;
                case "sslmode":
                    builder.SslMode = Enum.TryParse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode)
                        ? mode
                        : throw new StudyException($"--study: sslmode '{value}' is unknown");
                    break;
                default:
                    throw new StudyException($"--study: URL option '{key}' is not supported (known: host, port, sslmode)");
            }
        }

        var user = builder.Username is { Length: > 0 } u ? u + "@" : "";
        return new StudyUrl(builder.ConnectionString, $"{user}{builder.Host}:{builder.Port}/{database}");
    }

    public override string ToString() => Display;
}
