using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using EventLoop;
using EventLoop.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Quant.Bench.Infrastructure;

namespace Quant.Bench.EventLoopBench;

/// <summary>
/// WebSocket messages received per second on the loop from a local Kestrel server that pushes 64-byte text messages
/// as fast as it can, and bytes allocated per message (whole process, so the in-process server's own allocations are
/// included: the baseline carries the same server). Baseline: a plain async/await <see cref="ClientWebSocket"/>
/// receive loop against the same server in the same run.
/// </summary>
internal sealed class LoopWsBench : IBench
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    public string Name => "loop-ws";

    public string Description => "WebSocket messages/s received on the loop (per loop backend) from local Kestrel, B/message, vs async/await ClientWebSocket";

    /// <summary>
    /// Arguments: <c>backend=IoUring,Epoll</c> restricts the loop backends, <c>quick</c> runs short windows (a check
    /// that it works). WebSocket I/O runs on the runtime's engine on every backend (the backend changes how the loop
    /// waits and is woken), so the lines differ by the wake-up path only.
    /// </summary>
    public int Run(string[] args)
    {
        var (backends, auto, refusals) = BenchBackends.Resolve(args);
        var (warmup, window) = BenchBackends.Durations(args, Warmup, Window);
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1"); // as in loop-echo
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        using var app = builder.Build();
        app.UseWebSockets();
        app.Map("/push", Push);
        app.StartAsync().GetAwaiter().GetResult();
        var http = new Uri(app.Urls.First());
        var uri = new Uri($"ws://{http.Host}:{http.Port}/push");
        Console.WriteLine($"loop-ws: 64-byte text messages pushed by Kestrel on {uri}, {warmup.TotalSeconds:F1} s warm-up + {window.TotalSeconds:F1} s window, {Environment.ProcessorCount} cores, backends {string.Join(", ", backends)} (Auto picks {auto}){(refusals is null ? "" : $"; refused: {refusals}")}");

        var loopResults = new List<(LoopBackend Backend, double Rate, double Bytes)>();
        foreach (var backend in backends)
        {
            var (loopRate, loopBytes) = RunLoop(uri, backend, warmup, window);
            Console.WriteLine($"  {backend,-8} {loopRate,12:N0} messages/s   {loopBytes,8:F2} B/message (whole process)");
            loopResults.Add((backend, loopRate, loopBytes));
        }

        var (asyncRate, asyncBytes) = RunAsync(uri, warmup, window);
        Console.WriteLine($"  {"async",-8} {asyncRate,12:N0} messages/s   {asyncBytes,8:F2} B/message (whole process)");
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            app.StopAsync(cts.Token).GetAwaiter().GetResult(); // do not wait out Kestrel's 30 s drain for aborted sockets
        }

        foreach (var (backend, loopRate, loopBytes) in loopResults)
        {
            // One line per backend; the last is the backend Auto picks.
            BenchReport.Print(Name, loopRate, "messages/s", asyncRate,
            [
                new("backend", backend.ToString()),
                new("auto_backend", auto.ToString()),
                new("bytes_per_message", loopBytes),
                new("async_bytes_per_message", asyncBytes),
            ]);
        }

        return 0;
    }

    private static (double Rate, double BytesPerMessage) RunLoop(Uri uri, LoopBackend backend, TimeSpan warmup, TimeSpan window)
    {
        using var loop = new Loop(new LoopOptions { Backend = backend });
        var probe = new Probe();
        WebSocketConnection.Connect(loop, new Completion(), uri, null, probe, static (p, l, c, in r) =>
        {
            if (r.Exception is not null)
            {
                throw new InvalidOperationException("connect failed", r.Exception);
            }

            p.Connection = r.WebSocket!;
            p.Connection.Receive(l, c, p.Buffer, p, OnMessage);
            return CallbackAction.Disarm;
        });
        var thread = new Thread(() => loop.Run(RunMode.UntilDone));
        thread.Start();
        var result = probe.Measure(warmup, window);
        thread.Join();
        return result;
    }

    private static CallbackAction OnMessage(Probe p, Loop loop, Completion c, in CompletionResult r)
    {
        if (r.Exception is not null || r.MessageType == WebSocketMessageType.Close || p.Stopping)
        {
            p.Connection!.Dispose(); // abort: the server's next send fails and it stops
            return CallbackAction.Disarm;
        }

        Volatile.Write(ref p.Messages, p.Messages + 1);
        return CallbackAction.Rearm;
    }

    private static (double Rate, double BytesPerMessage) RunAsync(Uri uri, TimeSpan warmup, TimeSpan window)
    {
        var probe = new Probe();
        var task = Task.Run(async () =>
        {
            using var ws = new ClientWebSocket();
            await ws.ConnectAsync(uri, CancellationToken.None);
            var buffer = new byte[4096].AsMemory();
            while (!probe.Stopping)
            {
                var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                Volatile.Write(ref probe.Messages, probe.Messages + 1);
            }
        });
        var result = probe.Measure(warmup, window);
        task.Wait();
        return result;
    }

    private static async Task Push(HttpContext ctx)
    {
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        var payload = new byte[64];
        payload.AsSpan().Fill((byte)'m');
        try
        {
            while (ws.State == WebSocketState.Open)
            {
                await ws.SendAsync(payload, WebSocketMessageType.Text, true, ctx.RequestAborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the client aborted: the run is over
        }
    }

    private sealed class Probe
    {
        public long Messages;
        public volatile bool Stopping;

        public WebSocketConnection? Connection { get; set; }

        public byte[] Buffer { get; } = new byte[4096];

        public (double Rate, double BytesPerMessage) Measure(TimeSpan warmup, TimeSpan window)
        {
            Thread.Sleep(warmup); // the benchmark's main thread only
            long m0 = Volatile.Read(ref Messages);
            long alloc0 = GC.GetTotalAllocatedBytes(true);
            long t0 = Stopwatch.GetTimestamp();
            Thread.Sleep(window);
            long m1 = Volatile.Read(ref Messages);
            long alloc1 = GC.GetTotalAllocatedBytes(true);
            var elapsed = Stopwatch.GetElapsedTime(t0);
            Stopping = true;
            long n = Math.Max(1, m1 - m0);
            return (n / elapsed.TotalSeconds, (alloc1 - alloc0) / (double)n);
        }
    }
}
