using EventLoop;
using Trading.Core.Market;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Journal;

namespace Trading.Live.Engine;

/// <summary>
/// Runs one <see cref="LiveEngine"/>: the start-up REST calls (exchangeInfo → the instrument, time → the clock offset,
/// klines → the warm-up history) as ordinary awaits before the loop exists, then the loop on its own thread
/// (<c>quant-live-loop</c>) until the run ends. <paramref name="stop"/> asks for a graceful stop (Ctrl-C, SIGTERM).
/// </summary>
public static class LiveSession
{
    public static Task<LiveRunResult> RunAsync(LiveSettings settings, HmacSigner signer, IStrategy strategy,
        ILiveObserver observer, IStrategyLogger log, CancellationToken stop, TimeProvider? time = null, LiveMetrics? metrics = null) =>
        RunAsync(settings, signer, strategy, observer, log, stop, time, metrics, journalOpened: null);

    /// <summary>As the public overload; <paramref name="journalOpened"/> sees the journal writer before the loop starts (tests inject disk faults).</summary>
    internal static async Task<LiveRunResult> RunAsync(LiveSettings settings, HmacSigner signer, IStrategy strategy,
        ILiveObserver observer, IStrategyLogger log, CancellationToken stop, TimeProvider? time, LiveMetrics? metrics,
        Action<JournalWriter>? journalOpened)
    {
        ArgumentNullException.ThrowIfNull(settings);
        time ??= TimeProvider.System;
        // REST is start-up plus rare gap fills: an idle pooled connection is not kept (its pool's cleaning timer would
        // wake a thread-pool thread every few seconds of an otherwise idle run).
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1) }) { Timeout = settings.ConnectTimeout };
        var rest = new BinanceRest(http, settings.Endpoints.RestUrl);
        SymbolRules rules;
        long offset;
        long uncertainty;
        List<Candle> history;
        try
        {
            rules = await rest.ExchangeInfoAsync(settings.Symbol, stop).ConfigureAwait(false);
            // One sample (each start-up request is one more a 429 could refuse): off by at most half its round trip,
            // which ClockSample weighs against later measurements over the WebSocket API.
            var before = time.GetUtcNow().ToUnixTimeMilliseconds();
            var server = await rest.ServerTimeAsync(stop).ConfigureAwait(false);
            var after = time.GetUtcNow().ToUnixTimeMilliseconds();
            offset = server - ((before + after) / 2);
            uncertainty = (after - before + 1) / 2;
            history = settings.WarmupCandles > 0
                ? await rest.KlinesAsync(settings.Symbol, settings.Interval, Math.Min(settings.WarmupCandles, 999), server, stop).ConfigureAwait(false)
                : [];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or BinanceRestException or FormatException)
        {
            throw new LiveVenueException($"venue {settings.Endpoints.RestUrl.GetLeftPart(UriPartial.Authority)} unreachable or refused: {e.Message}", e);
        }

        // A restart continues the journal's client order ids (same run id, sequence after its last): unique across restarts.
        if (settings.RunId is null && settings.JournalPath is { } existing && File.Exists(existing)
            && JournalReader.Load(existing).Orders.LastOrDefault(o => Orders.ClientOrderIdCodec.TryReadRunId(o.ClientOrderId, out _)) is { } last
            && Orders.ClientOrderIdCodec.TryReadRunId(last.ClientOrderId, out var runId))
        {
            settings = settings with { RunId = runId };
        }

        observer.OnConnection($"{rules.Instrument.Symbol}: tick {rules.Instrument.TickSize}, lot {rules.Instrument.LotStep}, min notional {rules.Instrument.MinNotional}; clock offset {offset} ms; {history.Count} warm-up candles");
        using var loop = new Loop(new LoopOptions { Backend = settings.LoopBackend });
        observer.OnConnection($"event loop on {BackendName(loop.Backend)}{(loop.BackendFallbackReason is { } why ? " (io_uring refused: " + why + ")" : "")}");
        using var ownMetrics = metrics is null ? new LiveMetrics() : null;
        var engine = new LiveEngine(loop, settings, signer, strategy, rules, history, offset, observer, log, time, metrics ?? ownMetrics, uncertainty)
        {
            Rest = rest,
        };

        // Disposed after the loop has stopped (before the loop itself): writes what is queued, then drops the lock.
        using var journal = settings.JournalPath is { } path ? engine.OpenJournal(path) : null;
        if (journal is not null)
        {
            observer.OnConnection($"journal {journal.Path}");
            // Read after the lock is ours: what the restart reconciliation settles before the strategy starts.
            engine.PriorJournal = JournalReader.Load(journal.Path);
            journalOpened?.Invoke(journal);
        }
        var done = new TaskCompletionSource<LiveRunResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                engine.Start();
                loop.Run(RunMode.UntilDone);
                done.TrySetResult(engine.Result ?? throw new InvalidOperationException("the loop ended before the run finished"));
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "quant-live-loop",
        };
        thread.Start();
        using (stop.Register(engine.RequestStop))
        {
            return await done.Task.ConfigureAwait(false);
        }
    }

    /// <summary>The backend as <c>--loop-backend</c> spells it.</summary>
    public static string BackendName(LoopBackend backend) => backend switch
    {
        LoopBackend.IoUring => "io_uring",
        LoopBackend.Epoll => "epoll",
        LoopBackend.Runtime => "runtime",
        _ => "auto",
    };
}
