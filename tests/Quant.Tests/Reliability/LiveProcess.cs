using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Quant.Cli;

namespace Quant.Tests.Reliability;

/// <summary>
/// A <c>dotnet quant.dll …</c> child for the crash tests: stdout lines readable as they come, stderr collected, and
/// three ways to end it — <see cref="KillHard"/> (SIGKILL: no handler runs, nothing is flushed), <see cref="Terminate"/>
/// (SIGTERM: the graceful stop) or its own exit. No <c>QUANT_</c> settings reach it.
/// </summary>
internal sealed class LiveProcess : IDisposable
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Process _process;

    public LiveProcess(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoData.Root,
        };
        info.ArgumentList.Add(RepoData.QuantDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith(QuantSettings.EnvironmentPrefix, StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
                _stdoutClosed.TrySetResult();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _stderrClosed.TrySetResult();
                return;
            }

            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Stdout lines as they arrive; the sequence ends when stdout closes (the process ended).</summary>
    public IAsyncEnumerable<string> Lines(CancellationToken ct) => _lines.Reader.ReadAllAsync(ct);

    /// <summary>The next stdout line matching <paramref name="predicate"/>, or null when stdout ends first.</summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await foreach (var line in _lines.Reader.ReadAllAsync(cts.Token))
        {
            if (predicate(line))
            {
                return line;
            }
        }

        return null;
    }

    /// <summary>SIGKILL, now: the process gets no chance to flush, close or unlock anything.</summary>
    public void KillHard() => _process.Kill();

    /// <summary>SIGTERM: <c>quant live</c> stops as on Ctrl-C (OnStop, orders canceled, files written, exit 0).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the exit and for both pipes to drain (a safety timeout, not a timing assertion).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
