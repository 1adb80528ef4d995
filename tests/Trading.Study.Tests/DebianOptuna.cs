using System.Diagnostics;

namespace Trading.Study.Tests;

/// <summary>
/// Debian's Optuna (python3-optuna 3.1.0) and psycopg2 for <c>/usr/bin/python3</c>: installed with apt-get when missing
/// (as .ci/setup does), once per test run. <see cref="Missing"/> says why the Optuna test is skipped when that failed.
/// </summary>
public static class DebianOptuna
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Reason = new(Prepare);

    public static string? Missing => Reason.Value;

    public static (int ExitCode, string Stdout, string Stderr) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
        }

        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static bool Importable() => File.Exists(Python) && Run(Python, "-c", "import optuna, psycopg2").ExitCode == 0;

    private static string? Prepare()
    {
        if (Importable())
        {
            return null;
        }

        if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
        {
            return "python3-optuna and python3-psycopg2 are not installed and this user cannot apt-get them: run .ci/setup";
        }

        var install = Run("/usr/bin/apt-get", "install", "-y", "-qq", "python3-optuna", "python3-psycopg2");
        if (install.ExitCode != 0)
        {
            Run("/usr/bin/apt-get", "update", "-qq");
            install = Run("/usr/bin/apt-get", "install", "-y", "-qq", "python3-optuna", "python3-psycopg2");
        }

        return Importable() ? null : $"apt-get install python3-optuna python3-psycopg2 failed (exit {install.ExitCode}): {install.Stderr.Trim().Split('\n')[^1]}";
    }
}
