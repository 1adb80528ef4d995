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
/// its previous one, so every sample is a real signed order frame. Baseline: the loop's own receive-to-callback cost
/// is not separable here, so the baseline reported is the p50 of the same run's first tenth (JIT and warm-up
/// included), which a steady engine should beat; the figures to read are p50/p99/p99.9.
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
        var candles = Enumerable.Range(0, 300).Select(i => new Candle(1_704_067_200_000 + (i * 3_600_000L), 100, 101, 99, 100, 1)).ToArray();
        var sim = SimServer.StartAsync(new SimOptions { Candles = candles, StartCandle = 200, RequestWeightLimit = 10_000_000, OrdersPer10Seconds = 10_000_000, OrdersPerDay = 100_000_000 }).GetAwaiter().GetResult();
        Console.WriteLine($"live-latency: bookTicker pushed by Kestrel, an order every {every} quotes, {seconds} s, {Environment.ProcessorCount} cores");

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
        };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var result = LiveSession.RunAsync(settings, new HmacSigner(SimOptions.DefaultApiSecret), new EveryNth(every), new Quiet(),
            NullStrategyLogger.Instance, stop.Token, metrics: metrics).GetAwaiter().GetResult();
        sim.DisposeAsync().AsTask().Wait();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            app.StopAsync(cts.Token).GetAwaiter().GetResult();
        }

        var all = samples.ToArray();
        if (all.Length < 10)
        {
            Console.Error.WriteLine($"live-latency: only {all.Length} samples ({result.Reason} {result.Error})");
            return 1;
        }

        var first = all[..(all.Length / 10)];
        var baseline = Percentiles.Of(first, 50);
        var steady = all[(all.Length / 10)..];
        double p50 = Percentiles.Of(steady, 50), p99 = Percentiles.Of(steady, 99), p999 = Percentiles.Of(steady, 99.9);
        Console.WriteLine($"  {all.Length:N0} orders from {result.MarketMessages:N0} quotes ({result.MarketMessages / (double)seconds:N0} msg/s)");
        Console.WriteLine($"  tick→order  p50 {p50:F1} µs   p99 {p99:F1} µs   p99.9 {p999:F1} µs   (first tenth p50 {baseline:F1} µs)");
        BenchReport.Print(Name, p50, "us", baseline,
        [
            new("p99_us", p99),
            new("p999_us", p999),
            new("orders", all.Length),
            new("market_msgs_per_s", result.MarketMessages / (double)seconds),
        ]);
        return 0;
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

    private sealed class Quiet : ILiveObserver
    {
        public void OnConnection(string what)
        {
        }

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
