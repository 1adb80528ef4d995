using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Trading.Study.Tests;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: <c>initdb</c> into a temporary folder (as the unprivileged
/// <c>postgres</c> user when the tests run as root, since PostgreSQL refuses to run as root), trust authentication,
/// listening on 127.0.0.1 at a free port and on a Unix socket in that folder; stopped and deleted on dispose. Each
/// test takes its own database (<see cref="CreateDatabase"/>). No test depends on a server already running.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    private static readonly Lazy<string?> BinDirectory = new(FindBin);
    private readonly string _root;
    private readonly string _data;
    private int _databases;

    public PostgresCluster()
    {
        var bin = BinDirectory.Value ?? throw new InvalidOperationException(Missing);
        // As root the server runs as postgres, which must reach the folder: /tmp, not a TMPDIR that may sit under /root.
        _root = Path.Combine(IsRoot ? "/tmp" : Path.GetTempPath(), $"quant-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..30]);
        _data = Path.Combine(_root, "data");
        Directory.CreateDirectory(_root);
        AsOwner("chown", "-R", "postgres:", _root);
        Port = FreePort();
        Tool(Path.Combine(bin, "initdb"), "-D", _data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C");
        Tool(Path.Combine(bin, "pg_ctl"), "-D", _data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o",
            $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start");
    }

    /// <summary>Null when PostgreSQL's binaries are here; else why the tests that need them are skipped.</summary>
    public static string? Missing => BinDirectory.Value is null
        ? "PostgreSQL binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or /usr/local/bin: run .ci/setup"
        : null;

    public int Port { get; }

    /// <summary>A fresh, empty database; its URL in the form quant and Optuna take.</summary>
    public string CreateDatabase(string prefix)
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}";
        using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres");
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return $"postgresql://postgres@127.0.0.1:{Port}/{name}";
    }

    public static NpgsqlConnection Connect(string url)
    {
        var connection = new NpgsqlConnection(StudyUrl.Parse(url).ConnectionString);
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        try
        {
            Tool(Path.Combine(BinDirectory.Value!, "pg_ctl"), "-D", _data, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static string? FindBin()
    {
        var candidates = new List<string>();
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")));
        }

        candidates.Add("/usr/local/bin");
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "postgres")));
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static void AsOwner(string file, params string[] args)
    {
        if (IsRoot)
        {
            Run(file, args);
        }
    }

    // As root, PostgreSQL's tools run as the postgres user (initdb and postgres refuse root).
    private static void Tool(string file, params string[] args)
    {
        if (IsRoot)
        {
            Run("runuser", ["-u", "postgres", "--", file, .. args]);
        }
        else
        {
            Run(file, args);
        }
    }

    private static void Run(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {process.ExitCode}\n{stdout.Result}\n{stderr.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
