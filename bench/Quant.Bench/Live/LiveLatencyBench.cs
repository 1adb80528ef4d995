using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Quant.Bench.EventLoopBench;
using Quant.Bench.Infrastructure;
using EventLoop;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Engine;
using Trading.Live.Risk;
using Trading.Sim;

namespace Quant.Bench.Live;

/// <summary>
/// Tick-to-order latency inside the process: from a market frame completed on the loop to the order frame handed to the
/// WebSocket API's send queue (the engine's <c>quant.live.tick_to_order</c> histogram, read with a MeterListener).
/// Market data: a local Kestrel server streaming bookTicker frames as fast as it can; orders go to the in-process
/// simulator (REST, WebSocket API). The strategy submits a far-off limit buy every Nth quote (default 100) and cancels
/// its previous one, so every sample is a real signed order frame. It runs twice in the process: first on the runtime's
/// socket engine (ClientWebSocket, completions handed to the loop through its ring) — the baseline — then on the
/// backend Auto picks (io_uring here: TCP, TLS and framing on the loop thread), whose figures are the headline
/// (<c>backend=NAME</c> runs one backend only, with its first tenth's p50 as the baseline). Read p50/p99/p99.9.
/// </summary>
internal sealed class LiveLatencyBench : IBench
{
    private static readonly byte[] Book = Encoding.UTF8.GetBytes("""{"stream":"btcusdt@bookTicker","data":{"u":400900217,"s":"BTCUSDT","b":"100.00000000","B":"1.21000000","a":"100.01000000","A":"0.66000000"}}""");

    public string Name => "live-latency";

    public string Description => "tick-to-order latency p50/p99/p99.9 (µs) in the engine, quotes streamed by Kestrel, orders to the simulator";

    public int Run(string[] args)
    {
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        var seconds = args.Length > 0 && int.TryParse(args[0], out var s) ? s : 10;
        var every = args.Length > 1 && int.TryParse(args[1], out var n) ? n : 100;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        using var app = builder.Build();
        app.UseWebSockets();
        app.Map("/stream", Push);
        app.StartAsync().GetAwaiter().GetResult();
        var pusher = new Uri(app.Urls.First());
        var backends = args.FirstOrDefault(a => a.StartsWith("backend=", StringComparison.Ordinal)) is { } b
            ? [ParseBackend(b["backend=".Length..])]
            : new[] { LoopBackend.Runtime, LoopBackend.Auto };
        Console.WriteLine($"live-latency: bookTicker pushed by Kestrel, an order every {every} quotes, {seconds} s per backend, {Environment.ProcessorCount} cores");
        Figures? runtime = null;
        Figures? last = null;
        foreach (var backend in backends)
        {
            var f = RunOnce(pusher, backend, seconds, every);
            if (f is null)
            {
                return 1;
            }

            Console.WriteLine($"  [{f.Backend}] {f.Orders:N0} orders from {f.Messages:N0} quotes ({f.Messages / (double)seconds:N0} msg/s)");
            Console.WriteLine($"  [{f.Backend}] tick→order  p50 {f.P50:F1} µs   p99 {f.P99:F1} µs   p99.9 {f.P999:F1} µs   (first tenth p50 {f.FirstTenth:F1} µs)");
            if (backend == LoopBackend.Runtime)
            {
                runtime = f;
            }

            last = f;
        }

        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            app.StopAsync(cts.Token).GetAwaiter().GetResult();
        }

        // Baseline: the same engine on the runtime's socket engine (ClientWebSocket, completions handed to the loop
        // through its ring); with one backend asked for, that run's first tenth (JIT and warm-up included).
        var baseline = runtime is not null && !ReferenceEquals(runtime, last) ? runtime.P50 : last!.FirstTenth;
        BenchReport.Print(Name, last!.P50, "us", baseline,
        [
            new("p99_us", last.P99),
            new("p999_us", last.P999),
            new("backend", last.Backend),
            new("baseline_backend", runtime is not null && !ReferenceEquals(runtime, last) ? "runtime" : "first tenth"),
            new("orders", last.Orders),
            new("market_msgs_per_s", last.Messages / (double)seconds),
        ]);
        return 0;
    }

    private static LoopBackend ParseBackend(string name) => name switch
    {
        "io_uring" or "io-uring" => LoopBackend.IoUring,
        "epoll" => LoopBackend.Epoll,
        "runtime" => LoopBackend.Runtime,
        _ => LoopBackend.Auto,
    };

    private sealed record Figures(string Backend, double P50, double P99, double P999, double FirstTenth, int Orders, long Messages);

    private static Figures? RunOnce(Uri pusher, LoopBackend backend, int seconds, int every)
    {
        var candles = Enumerable.Range(0, 300).Select(i => new Candle(1_704_067_200_000 + (i * 3_600_000L), 100, 101, 99, 100, 1)).ToArray();
        var sim = SimServer.StartAsync(new SimOptions { Candles = candles, StartCandle = 200, RequestWeightLimit = 10_000_000, OrdersPer10Seconds = 10_000_000, OrdersPerDay = 100_000_000 }).GetAwaiter().GetResult();
        using var metrics = new LiveMetrics();
        var samples = new ConcurrentQueue<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (ReferenceEquals(i.Meter, metrics.Meter) && i.Name == "quant.live.tick_to_order")
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, v, _, _) => samples.Enqueue(v));
        listener.Start();
        var settings = new LiveSettings
        {
            Endpoints = new BinanceEndpoints(sim.RestUrl, new UriBuilder(pusher) { Scheme = "ws" }.Uri, sim.WebSocketApiUrl),
            Symbol = "BTCUSDT",
            Interval = "1h",
            IntervalMs = 3_600_000,
            ApiKey = SimOptions.DefaultApiKey,
            Risk = RiskLimits.None,
            WarmupCandles = 10,
            LoopBackend = backend,
        };
        string chosen = "?";
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var result = LiveSession.RunAsync(settings, new HmacSigner(SimOptions.DefaultApiSecret), new EveryNth(every), new Quiet(l => chosen = l.StartsWith("event loop on ", StringComparison.Ordinal) ? l["event loop on ".Length..].Split(' ')[0] : chosen),
            NullStrategyLogger.Instance, stop.Token, metrics: metrics).GetAwaiter().GetResult();
        sim.DisposeAsync().AsTask().Wait();
        var all = samples.ToArray();
        if (all.Length < 10)
        {
            Console.Error.WriteLine($"live-latency [{chosen}]: only {all.Length} samples ({result.Reason} {result.Error})");
            return null;
        }

        var steady = all[(all.Length / 10)..];
        return new Figures(chosen, Percentiles.Of(steady, 50), Percentiles.Of(steady, 99), Percentiles.Of(steady, 99.9), Percentiles.Of(all[..(all.Length / 10)], 50),
            all.Length, result.MarketMessages);
    }

    private static async Task Push(HttpContext ctx)
    {
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        try
        {
            while (ws.State == WebSocketState.Open)
            {
                await ws.SendAsync(Book, WebSocketMessageType.Text, true, ctx.RequestAborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the engine closed: the run is over
        }
    }

    /// <summary>A far limit buy every Nth quote, canceling the previous one (so the venue's open orders stay few).</summary>
    private sealed class EveryNth(int every) : IStrategy
    {
        private long _quotes;
        private ClientOrderId? _last;

        public void OnCandle(IStrategyContext context, in Candle candle)
        {
        }

        public void OnQuote(IStrategyContext context, in Quote quote)
        {
            if (++_quotes % every != 0)
            {
                return;
            }

            if (_last is { } previous)
            {
                context.Cancel(previous);
            }

            _last = context.Submit(OrderRequest.Limit(OrderSide.Buy, 0.1m, 60m));
        }
    }

    private sealed class Quiet(Action<string> connection) : ILiveObserver
    {
        public void OnConnection(string what) => connection(what);

        public void OnCandle(in Candle candle, bool warmup)
        {
        }

        public void OnOrder(in OrderEvent orderEvent)
        {
        }

        public void OnRisk(RiskRule rule, string reason, bool tripped)
        {
        }

        public void OnStatus(in LiveStatus status)
        {
        }
    }
}
