using System.Diagnostics;
using Trading.Sim;

namespace Quant.Commands;

/// <summary>
/// Paces the in-process simulator for <c>quant live --exchange sim</c>: the simulator runs stepped (speed 0) and this
/// pump advances its market clock at <c>--sim-speed</c> from the moment the engine's market streams are connected, so
/// that no candle is replayed before anyone listens (a free-running simulator starts replaying at start-up, while the
/// engine is still fetching its warm-up). When the data runs out it cancels the run, which then stops as on Ctrl-C.
/// </summary>
internal sealed class LiveSimPump(SimServer server, double speed)
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The engine listens: start the replay. Safe from any thread.</summary>
    public void Ready() => _ready.TrySetResult();

    public async Task RunAsync(CancellationTokenSource stopping)
    {
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
                server.AdvanceTo(marketStart + (long)(elapsedMs * speed));
            }
        }
        catch (OperationCanceledException)
        {
            // the run ended first
        }
    }
}
