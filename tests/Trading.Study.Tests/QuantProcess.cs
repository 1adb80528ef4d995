using System.Diagnostics;
using System.Text;

namespace Trading.Study.Tests;

/// <summary>
/// A real <c>quant</c> process (<c>dotnet quant.dll</c>, built next to the tests) whose output is captured line by
/// line; <see cref="WaitForLine"/> completes when stderr shows a line, a signal to act on rather than a sleep. A
/// child still running when disposed is killed (a safety net, not a timing assertion).
/// </summary>
public sealed class QuantProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waits = [];
    private readonly TaskCompletionSource _outClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private QuantProcess(string directory, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "quant.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("QUANT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Received(e.Data, _stdout, _outClosed, stderr: false);
        _process.ErrorDataReceived += (_, e) => Received(e.Data, _stderr, _errClosed, stderr: true);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static QuantProcess Start(string directory, params string[] args) => new(directory, args);

    /// <summary>Runs to the end (a hung child is killed after 3 minutes).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string directory, params string[] args)
    {
        using var p = Start(directory, args);
        return await p.ExitAsync();
    }

    public int Id => _process.Id;

    /// <summary>Completes with the first stderr line (past or future) that <paramref name="match"/> accepts.</summary>
    public Task<string> WaitForLine(Func<string, bool> match)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waits)
        {
            foreach (var line in _stderr.ToString().Split('\n'))
            {
                if (match(line))
                {
                    seen.SetResult(line);
                    return seen.Task;
                }
            }

            _waits.Add((match, seen));
        }

        return seen.Task;
    }

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
    public void Kill() => _process.Kill();

    public async Task<(int ExitCode, string Stdout, string Stderr)> ExitAsync()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await Task.WhenAll(_outClosed.Task, _errClosed.Task).WaitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw;
        }

        lock (_waits)
        {
            return (_process.ExitCode, _stdout.ToString(), _stderr.ToString());
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Received(string? line, StringBuilder into, TaskCompletionSource closed, bool stderr)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (_waits)
        {
            into.Append(line).Append('\n');
            if (!stderr)
            {
                return;
            }

            for (var i = _waits.Count - 1; i >= 0; i--)
            {
                if (_waits[i].Match(line))
                {
                    _waits[i].Seen.TrySetResult(line);
                    _waits.RemoveAt(i);
                }
            }
        }
    }
}
