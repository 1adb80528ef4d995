using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EventLoop;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Quant.Bench.Infrastructure;
using Trading.Live.Binance;

namespace Quant.Bench.Live;

/// <summary>
/// Market messages parsed and dispatched per second on the loop thread by the live engine's <see cref="MarketStream"/>
/// (receive on the loop, <see cref="MarketMessageParser"/> in place, listener callback), from a local Kestrel server
/// pushing Binance combined-stream frames (bookTicker and trade, alternating) as fast as it can; and bytes allocated per
/// message on the loop thread (the steady-state target is 0) and in the whole process (the in-process server's own
/// allocations included). Baseline, same run, same server: an async/await <see cref="ClientWebSocket"/> loop that
/// parses each frame with <see cref="JsonDocument"/> and reads the same fields.
/// </summary>
internal sealed class LiveIngestBench : IBench
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    private static readonly byte[][] Frames =
    [
        Encoding.UTF8.GetBytes("""{"stream":"btcusdt@bookTicker","data":{"u":400900217,"s":"BTCUSDT","b":"42283.58000000","B":"1.21000000","a":"42283.59000000","A":"0.66000000"}}"""),
        Encoding.UTF8.GetBytes("""{"stream":"btcusdt@trade","data":{"e":"trade","E":1704067200123,"s":"BTCUSDT","t":3341234501,"p":"42283.58000000","q":"0.01200000","T":1704067200122,"m":true,"M":true}}"""),
    ];

    public string Name => "live-ingest";

    public string Description => "market frames parsed+dispatched/s on the loop (MarketStream), B/message, vs async ClientWebSocket + JsonDocument";

    public int Run(string[] args)
    {
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        using var app = builder.Build();
        app.UseWebSockets();
        app.Map("/stream", Push);
        app.StartAsync().GetAwaiter().GetResult();
        var http = new Uri(app.Urls.First());
        var uri = new Uri($"ws://{http.Host}:{http.Port}/stream?streams=btcusdt@bookTicker/btcusdt@trade");
        Console.WriteLine($"live-ingest: bookTicker/trade combined frames pushed by Kestrel, {Warmup.TotalSeconds:F0} s warm-up + {Window.TotalSeconds:F0} s window per run (an unmeasured pass over both first), {Environment.ProcessorCount} cores");

        // An unmeasured pass over both paths first: the first one measured used to run while the tiered JIT still
        // compiled the server's push and the shared WebSocket code (~30 % of the CPU), which favoured the second. Then
        // the baseline before and after the loop, and their mean, so drift on a shared machine hits both alike.
        RunLoop(uri);
        RunBaseline(uri);
        var before = RunBaseline(uri);
        var loop = RunLoop(uri);
        var after = RunBaseline(uri);
        var baseline = ((before.Rate + after.Rate) / 2, (before.ProcessBytes + after.ProcessBytes) / 2);
        Console.WriteLine($"  loop (MarketStream)      {loop.Rate,12:N0} messages/s   {loop.LoopBytes,8:F2} B/message on the loop thread   {loop.ProcessBytes,8:F2} B/message whole process");
        Console.WriteLine($"  async + JsonDocument     {baseline.Item1,12:N0} messages/s   {baseline.Item2,8:F2} B/message whole process (mean of {before.Rate:N0} before and {after.Rate:N0} after)");
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            app.StopAsync(cts.Token).GetAwaiter().GetResult();
        }

        BenchReport.Print(Name, loop.Rate, "messages/s", baseline.Item1,
        [
            new("loop_thread_bytes_per_message", loop.LoopBytes),
            new("process_bytes_per_message", loop.ProcessBytes),
            new("baseline_process_bytes_per_message", baseline.Item2),
        ]);
        return 0;
    }

    private static (double Rate, double LoopBytes, double ProcessBytes) RunLoop(Uri uri)
    {
        using var loop = new Loop();
        var probe = new Probe();
        var stream = new MarketStream(loop, uri, probe, () => 0);
        probe.Stream = stream;
        stream.Start(TimeSpan.FromSeconds(5));
        var thread = new Thread(() => loop.Run(RunMode.UntilDone)) { Name = "live-ingest-loop" };
        thread.Start();
        var (rate, processBytes, m0, m1, a0, a1) = probe.Measure();
        thread.Join();
        return (rate, (a1 - a0) / (double)Math.Max(1, m1 - m0), processBytes);
    }

    private static (double Rate, double ProcessBytes) RunBaseline(Uri uri)
    {
        var probe = new Probe();
        var task = Task.Run(async () =>
        {
            using var ws = new ClientWebSocket();
            await ws.ConnectAsync(uri, CancellationToken.None);
            var buffer = new byte[64 * 1024];
            double sink = 0;
            while (!probe.Stopping)
            {
                var r = await ws.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                using var doc = JsonDocument.Parse(buffer.AsMemory(0, r.Count));
                var data = doc.RootElement.GetProperty("data");
                sink += data.TryGetProperty("p", out var p)
                    ? double.Parse(p.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                    : double.Parse(data.GetProperty("b").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                Volatile.Write(ref probe.Messages, probe.Messages + 1);
            }

            GC.KeepAlive(sink);
        });
        var (rate, processBytes, _, _, _, _) = probe.Measure();
        task.Wait();
        return (rate, processBytes);
    }

    private static async Task Push(HttpContext ctx)
    {
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        var i = 0;
        try
        {
            while (ws.State == WebSocketState.Open)
            {
                await ws.SendAsync(Frames[i++ & 1], WebSocketMessageType.Text, true, ctx.RequestAborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away: the run is over
        }
    }

    private sealed class Probe : IMarketListener
    {
        public long Messages;
        public long LoopThreadAllocated;
        public volatile bool Stopping;
        private double _sink;

        public MarketStream? Stream { get; set; }

        public void OnMarketConnected()
        {
        }

        public void OnMarket(ref MarketMessage message)
        {
            _sink += message.Kind == MarketMessageKind.Trade ? message.Trade.Price : message.Quote.BidPrice;
            Volatile.Write(ref LoopThreadAllocated, GC.GetAllocatedBytesForCurrentThread());
            Volatile.Write(ref Messages, Messages + 1);
            if (Stopping)
            {
                Stream!.Close();
            }
        }

        public void OnMarketClosed(string? error) => GC.KeepAlive(_sink);

        public (double Rate, double ProcessBytes, long M0, long M1, long A0, long A1) Measure()
        {
            Thread.Sleep(Warmup); // the benchmark's main thread only
            long m0 = Volatile.Read(ref Messages);
            long a0 = Volatile.Read(ref LoopThreadAllocated);
            long alloc0 = GC.GetTotalAllocatedBytes(true);
            long t0 = Stopwatch.GetTimestamp();
            Thread.Sleep(Window);
            long m1 = Volatile.Read(ref Messages);
            long a1 = Volatile.Read(ref LoopThreadAllocated);
            long alloc1 = GC.GetTotalAllocatedBytes(true);
            var elapsed = Stopwatch.GetElapsedTime(t0);
            Stopping = true;
            long n = Math.Max(1, m1 - m0);
            return (n / elapsed.TotalSeconds, (alloc1 - alloc0) / (double)n, m0, m1, a0, a1);
        }
    }
}
