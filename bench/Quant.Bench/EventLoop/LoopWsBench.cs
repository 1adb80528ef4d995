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
/// included: the baseline carries the same server). Per loop backend, two client paths: <c>runtime-ws</c>
/// (<see cref="WebSocketConnection.Connect{TState}(Loop, Completion, Uri, Action{ClientWebSocketOptions}?, TState, Callback{TState})"/>:
/// the runtime's ClientWebSocket, I/O on its threads) and <c>loop-stream</c> (<see cref="LoopWebSocket"/>: TCP, TLS
/// and framing on the loop thread), each plain and over TLS (a certificate made here, pinned by the client).
/// Baseline: a plain async/await <see cref="ClientWebSocket"/> receive loop over the same transport in the same run,
/// measured in the same rounds as the loop lines (default 3, the order alternating, each figure the median round: <c>rounds=N</c>), after an unmeasured pass over every path (JIT warm-up).
/// </summary>
internal sealed class LoopWsBench : IBench
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    private const int DefaultRounds = 3;

    public string Name => "loop-ws";

    public string Description => "WebSocket messages/s received on the loop (per loop backend) from local Kestrel, B/message, vs async/await ClientWebSocket";

    /// <summary>
    /// Arguments: <c>backend=IoUring,Epoll</c> restricts the loop backends, <c>quick</c> runs short windows (a check
    /// that it works). WebSocket I/O runs on the runtime's engine on every backend (the backend changes how the loop
    /// waits and is woken), so the lines differ by the wake-up path only. <c>mode=loop-stream</c> (or <c>runtime-ws</c>,
    /// <c>async</c>) and <c>tls=ws</c> (or <c>wss</c>) run only those lines (for a profile or an instruction count of one
    /// path; the baseline lines then run only when <c>async</c> is among the modes, and the JSON lines need them); <c>window=10</c> measures for that many seconds.
    /// </summary>
    public int Run(string[] args)
    {
        var (backends, auto, refusals) = BenchBackends.Resolve(args);
        var (warmup, window) = BenchBackends.Durations(args, Warmup, Window);
        if (args.FirstOrDefault(a => a.StartsWith("window=", StringComparison.Ordinal)) is { } w)
        {
            window = TimeSpan.FromSeconds(double.Parse(w["window=".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }

        var modes = Filter(args, "mode=", ["runtime-ws", "loop-stream", "async"]);
        var transports = Filter(args, "tls=", ["ws", "wss"]);
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1"); // as in loop-echo
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        using var certificate = SelfSigned();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate));
        });
        using var app = builder.Build();
        app.UseWebSockets();
        app.Map("/push", Push);
        app.StartAsync().GetAwaiter().GetResult();
        var http = new Uri(app.Urls.First(u => u.StartsWith("http://", StringComparison.Ordinal)));
        var https = new Uri(app.Urls.First(u => u.StartsWith("https://", StringComparison.Ordinal)));
        var uri = new Uri($"ws://127.0.0.1:{http.Port}/push");
        var tlsUri = new Uri($"wss://127.0.0.1:{https.Port}/push");
        string pinned = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        System.Net.Security.RemoteCertificateValidationCallback validate = (_, cert, _, _) => cert is not null && cert.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256) == pinned;
        Console.WriteLine($"loop-ws: 64-byte text messages pushed by Kestrel on {uri}, {warmup.TotalSeconds:F1} s warm-up + {window.TotalSeconds:F1} s window, {Environment.ProcessorCount} cores, backends {string.Join(", ", backends)} (Auto picks {auto}){(refusals is null ? "" : $"; refused: {refusals}")}");

        var lines = new List<(LoopBackend Backend, string Mode, bool Tls)>();
        foreach (var backend in backends)
        {
            foreach (var (mode, tls) in new[] { ("runtime-ws", false), ("runtime-ws", true), ("loop-stream", true), ("loop-stream", false) })
            {
                if (modes.Contains(mode) && transports.Contains(tls ? "wss" : "ws"))
                {
                    lines.Add((backend, mode, tls));
                }
            }
        }

        bool baseline = modes.Contains("async");
        (double Rate, double BytesPerMessage, double CpuNs, double LoopBytes) RunLine((LoopBackend Backend, string Mode, bool Tls) line, TimeSpan w, TimeSpan m)
            => line.Mode == "runtime-ws"
                ? RunLoop(line.Tls ? tlsUri : uri, line.Backend, line.Tls ? validate : null, w, m)
                : RunLoopStream(line.Tls ? tlsUri : uri, line.Backend, line.Tls ? validate : null, w, m);
        (double Rate, double BytesPerMessage, double CpuNs, double LoopBytes) Async(bool tls, TimeSpan w, TimeSpan m)
            => tls && transports.Contains("wss") ? RunAsync(tlsUri, validate, w, m) : !tls && transports.Contains("ws") ? RunAsync(uri, null, w, m) : default;

        if (!args.Contains("quick"))
        {
            // An unmeasured pass over every path first: otherwise the first loop lines run while the tiered JIT is still
            // compiling (and instrumenting) the code they share, and the baseline, measured with everything warm, wins.
            var (pw, pm) = (TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
            lines.ForEach(l => RunLine(l, pw, pm));
            if (baseline)
            {
                Async(false, pw, pm);
                Async(true, pw, pm);
            }
        }

        // Rounds: the shared machine's load drifts within a run (one baseline measured before and after the loop lines
        // differed 2x), so every line and the baseline are measured in each round, in an order that alternates
        // (forwards, then backwards), and each figure is the median round (by messages/s).
        int rounds = args.Contains("quick") ? 1 : args.FirstOrDefault(a => a.StartsWith("rounds=", StringComparison.Ordinal)) is { } rs
            ? Math.Max(1, int.Parse(rs["rounds=".Length..], System.Globalization.CultureInfo.InvariantCulture))
            : DefaultRounds;
        var sides = new List<(LoopBackend? Backend, string Mode, bool Tls)>(); // Backend null: the async baseline
        if (baseline)
        {
            foreach (bool tls in new[] { false, true })
            {
                if (transports.Contains(tls ? "wss" : "ws"))
                {
                    sides.Add((null, "async", tls));
                }
            }
        }

        sides.AddRange(lines.Select(l => ((LoopBackend?)l.Backend, l.Mode, l.Tls)));
        var runs = new Dictionary<(LoopBackend? Backend, string Mode, bool Tls), List<(double Rate, double BytesPerMessage, double CpuNs, double LoopBytes)>>();
        for (int round = 0; round < rounds; round++)
        {
            var order = round % 2 == 0 ? sides : Enumerable.Reverse(sides).ToList();
            foreach (var side in order)
            {
                var r = side.Backend is { } b ? RunLine((b, side.Mode, side.Tls), warmup, window) : Async(side.Tls, warmup, window);
                if (!runs.TryGetValue(side, out var list))
                {
                    runs[side] = list = [];
                }

                list.Add(r);
                Console.WriteLine($"  {(rounds > 1 ? $"r{round + 1} " : "")}{side.Backend?.ToString() ?? "async",-8} {(side.Backend is null ? "" : side.Mode),-12} {(side.Tls ? "wss" : "ws"),-4} {r.Rate,12:N0} messages/s   {r.BytesPerMessage,8:F2} B/message {r.CpuNs,8:F0} CPU ns/message (whole process){(side.Backend is null ? "" : $", loop thread {r.LoopBytes:F3} B/message")}");
            }
        }

        var medians = runs.ToDictionary(kv => kv.Key, kv => kv.Value.OrderBy(r => r.Rate).ElementAt(kv.Value.Count / 2));
        if (rounds > 1)
        {
            Console.WriteLine($"  medians of {rounds} rounds (by messages/s; the other figures are that round's):");
            foreach (var side in sides)
            {
                var r = medians[side];
                string ratio = side.Backend is null || !baseline ? "" : $"   {r.Rate / medians[(null, "async", side.Tls)].Rate,5:F2}x async";
                Console.WriteLine($"  {side.Backend?.ToString() ?? "async",-8} {(side.Backend is null ? "" : side.Mode),-12} {(side.Tls ? "wss" : "ws"),-4} {r.Rate,12:N0} messages/s   {r.BytesPerMessage,8:F2} B/message {r.CpuNs,8:F0} CPU ns/message{ratio}");
            }
        }

        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            app.StopAsync(cts.Token).GetAwaiter().GetResult(); // do not wait out Kestrel's 30 s drain for aborted sockets
        }

        if (!modes.Contains("async"))
        {
            return 0; // no baseline: no ratios to print
        }

        // One line per backend, path and transport; the last is the backend Auto picks, loop-stream over plain ws.
        foreach (var (backend, mode, tls) in lines)
        {
            var r = medians[(backend, mode, tls)];
            var a = medians[(null, "async", tls)];
            BenchReport.Print(Name, r.Rate, "messages/s", a.Rate,
            [
                new("backend", backend.ToString()),
                new("rounds", rounds),
                new("auto_backend", auto.ToString()),
                new("mode", mode),
                new("tls", tls),
                new("bytes_per_message", r.BytesPerMessage),
                new("async_bytes_per_message", a.BytesPerMessage),
                new("cpu_ns_per_message", r.CpuNs),
                new("loop_thread_bytes_per_message", double.IsFinite(r.LoopBytes) ? r.LoopBytes : null),
                new("async_cpu_ns_per_message", a.CpuNs),
            ]);
        }

        return 0;
    }

    /// <summary>The values of a <c>name=a,b</c> argument, or all of <paramref name="all"/> without one; an unknown value is a clear error.</summary>
    private static HashSet<string> Filter(string[] args, string prefix, string[] all)
    {
        if (args.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal)) is not { } spec)
        {
            return [.. all];
        }

        var chosen = spec[prefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = chosen.Except(all).ToList();
        return unknown.Count == 0 ? chosen : throw new ArgumentException($"loop-ws: unknown {prefix}{string.Join(",", unknown)} (one of {string.Join(", ", all)})");
    }

    private static (double Rate, double BytesPerMessage, double CpuNs, double LoopBytes) RunLoopStream(Uri uri, LoopBackend backend, System.Net.Security.RemoteCertificateValidationCallback? validate, TimeSpan warmup, TimeSpan window)
    {
        using var loop = new Loop(new LoopOptions { Backend = backend });
        var probe = new Probe();
        LoopWebSocket.Connect(loop, new Completion(), uri, o =>
        {
            o.RemoteCertificateValidationCallback = validate;
            o.KeepAliveInterval = TimeSpan.Zero;
        }, TimeSpan.FromSeconds(30), probe, static (p, l, c, in r) =>
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

    private static (double Rate, double BytesPerMessage, double CpuNs, double LoopBytes) RunLoop(Uri uri, LoopBackend backend, System.Net.Security.RemoteCertificateValidationCallback? validate, TimeSpan warmup, TimeSpan window)
    {
        using var loop = new Loop(new LoopOptions { Backend = backend });
        var probe = new Probe();
        WebSocketConnection.Connect(loop, new Completion(), uri, o => o.RemoteCertificateValidationCallback = validate, probe, static (p, l, c, in r) =>
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

        long m = p.Messages + 1;
        Volatile.Write(ref p.Messages, m);
        if ((m & 1023) == 0)
        {
            p.SampleLoopThread(m); // the loop thread's own allocations (the whole-process figure includes the server's)
        }

        return CallbackAction.Rearm;
    }

    private static (double Rate, double BytesPerMessage, double CpuNs, double LoopBytes) RunAsync(Uri uri, System.Net.Security.RemoteCertificateValidationCallback? validate, TimeSpan warmup, TimeSpan window)
    {
        var probe = new Probe();
        var task = Task.Run(async () =>
        {
            using var ws = new ClientWebSocket();
            ws.Options.RemoteCertificateValidationCallback = validate;
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

    /// <summary>A throwaway self-signed certificate for 127.0.0.1 (never installed; the clients pin it).</summary>
    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSigned()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=quant-loop-ws-bench", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(cert.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), password: null);
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
        private long _sampledMessages;
        private long _sampledAllocated;
        private readonly Lock _sample = new();

        /// <summary>Loop thread: records its allocated bytes at message <paramref name="m"/>.</summary>
        public void SampleLoopThread(long m)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            lock (_sample)
            {
                _sampledMessages = m;
                _sampledAllocated = allocated;
            }
        }

        private (long Messages, long Allocated) LoopSample()
        {
            lock (_sample)
            {
                return (_sampledMessages, _sampledAllocated);
            }
        }
        public volatile bool Stopping;

        public WebSocketConnection? Connection { get; set; }

        public byte[] Buffer { get; } = new byte[4096];

        public (double Rate, double BytesPerMessage, double CpuNs, double LoopBytes) Measure(TimeSpan warmup, TimeSpan window)
        {
            Thread.Sleep(warmup); // the benchmark's main thread only
            long m0 = Volatile.Read(ref Messages);
            long alloc0 = GC.GetTotalAllocatedBytes(true);
            var loop0 = LoopSample();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            long t0 = Stopwatch.GetTimestamp();
            Thread.Sleep(window);
            long m1 = Volatile.Read(ref Messages);
            long alloc1 = GC.GetTotalAllocatedBytes(true);
            var loop1 = LoopSample();
            var elapsed = Stopwatch.GetElapsedTime(t0);
            var cpu1 = Process.GetCurrentProcess().TotalProcessorTime;
            Stopping = true;
            long n = Math.Max(1, m1 - m0);
            double loopBytes = loop1.Messages > loop0.Messages && loop0.Messages > 0 ? (loop1.Allocated - loop0.Allocated) / (double)(loop1.Messages - loop0.Messages) : double.NaN;
            return (n / elapsed.TotalSeconds, (alloc1 - alloc0) / (double)n, (cpu1 - cpu0).TotalNanoseconds / n, loopBytes);
        }
    }
}
