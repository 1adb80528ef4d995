using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Trading.Live.Engine;
using Trading.Sim;

namespace Quant.Commands;

/// <summary>
/// Paces the simulator for <c>quant live --exchange sim</c>. Real time (<see cref="RunAsync"/>): the in-process
/// simulator runs stepped (speed 0) and this pump advances its market clock at <c>--sim-speed</c> from the moment the
/// engine's market streams are connected, so that no candle is replayed before anyone listens (a free-running simulator
/// starts replaying at start-up, while the engine is still fetching its warm-up). Lockstep
/// (<see cref="RunLockstepAsync"/>): one market event at a time — step, then await the engine's idle
/// (<see cref="LockstepBarrier"/>) — in-process or through <c>POST /sim/step?events=1</c> of a <c>quant sim --speed 0</c>.
/// The simulator's own idle is not awaited: a step queues every frame it causes (market frames, execution reports)
/// before it returns, the barrier counts the market events and round-trips a ping behind the reports, so the engine's
/// idle implies it (so a wait on <c>SimServer.WhenIdleAsync</c> would add a round trip and prove nothing more). When the
/// data runs out it cancels the run, which then stops as on Ctrl-C.
/// </summary>
internal sealed class LiveSimPump
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SimServer? _server;
    private readonly double _speed;
    private readonly Func<CancellationToken, Task<(int Stepped, bool Finished)>> _step;

    /// <summary>Paces (or steps) the in-process simulator.</summary>
    public LiveSimPump(SimServer server, double speed)
    {
        _server = server;
        _speed = speed;
        _step = ct => Task.FromResult((server.Step(1), server.State.Finished));
    }

    /// <summary>Steps a running <c>quant sim --speed 0</c> through its control API (lockstep only).</summary>
    public LiveSimPump(HttpClient http, Uri simUrl)
    {
        var step = new Uri(simUrl, "/sim/step?events=1");
        _step = async ct =>
        {
            using var response = await http.PostAsync(step, null, ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            using var doc = await JsonDocument.ParseAsync(body, cancellationToken: ct).ConfigureAwait(false);
            return (doc.RootElement.GetProperty("stepped").GetInt32(), doc.RootElement.GetProperty("finished").GetBoolean());
        };
    }

    /// <summary>An HTTP client for a simulator's control API: its key in the header every /sim call needs.</summary>
    public static HttpClient ControlClient(string apiKey)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-MBX-APIKEY", apiKey);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http;
    }

    /// <summary>Where a simulator behind <paramref name="simUrl"/> stands: its speed (lockstep needs 0).</summary>
    public static async Task<double> SpeedAsync(HttpClient http, Uri simUrl, CancellationToken ct)
    {
        await using var body = await http.GetStreamAsync(new Uri(simUrl, "/sim/state"), ct).ConfigureAwait(false);
        using var doc = await JsonDocument.ParseAsync(body, cancellationToken: ct).ConfigureAwait(false);
        return doc.RootElement.GetProperty("speed").GetDouble();
    }

    /// <summary>The engine listens: start the replay. Safe from any thread.</summary>
    public void Ready() => _ready.TrySetResult();

    public async Task RunAsync(CancellationTokenSource stopping)
    {
        var server = _server ?? throw new InvalidOperationException("real-time pacing needs the in-process simulator");
        try
        {
            await _ready.Task.WaitAsync(stopping.Token).ConfigureAwait(false);
            var wallStart = Stopwatch.GetTimestamp();
            var marketStart = server.MarketTime;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
            {
                if (server.NextEventTime is null)
                {
                    await stopping.CancelAsync().ConfigureAwait(false);
                    return;
                }

                var elapsedMs = Stopwatch.GetElapsedTime(wallStart).TotalMilliseconds;
                server.AdvanceTo(marketStart + (long)(elapsedMs * _speed));
            }
        }
        catch (OperationCanceledException)
        {
            // the run ended first
        }
    }

    /// <summary>
    /// Lockstep: once the engine listens, steps one market event, waits for the simulator's idle and then the engine's,
    /// until the simulator reports it is finished; then ends the run (exit 0, as at the end of data).
    /// </summary>
    public async Task RunLockstepAsync(LockstepBarrier barrier, CancellationTokenSource stopping)
    {
        try
        {
            await _ready.Task.WaitAsync(stopping.Token).ConfigureAwait(false);
            long events = 0;
            bool finished;
            do
            {
                (var stepped, finished) = await _step(stopping.Token).ConfigureAwait(false);
                events += stepped;
                await barrier.WhenHandledAsync(events, stopping.Token).ConfigureAwait(false);
            }
            while (!finished);

            await stopping.CancelAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the run ended first
        }
    }
}
