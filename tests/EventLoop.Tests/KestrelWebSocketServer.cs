using System.Net;
using System.Net.WebSockets;
using EventLoop.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventLoop.Tests;

/// <summary>
/// A Kestrel WebSocket server on 127.0.0.1 (port chosen by the OS), started once for the WebSocket tests:
/// /echo echoes every message (plain async/await), /push sends three numbered messages then closes, /flood pushes
/// many (<see cref="FloodEndpoint"/>), and /loop-echo
/// echoes through a <see cref="WebSocketConnection"/> wrapping the server-side socket, on a loop of its own; /silent
/// accepts and then never reads (so it answers neither a close frame nor a PING) until the client goes away; /hello
/// sends one text message naming the X-Api-Key header and the sub-protocol it chose, then closes; /abort waits for one
/// message, then drops the connection.
/// </summary>
public sealed class KestrelWebSocketServer : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>http:// of the same server: /rest answers a small JSON body, /never never answers.</summary>
    public Uri HttpUri { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/echo", Echo);
        app.Map("/push", Push);
        app.Map("/flood", FloodEndpoint.Handle);
        app.Map("/loop-echo", LoopEcho);
        app.Map("/silent", Silent);
        app.Map("/hello", Hello);
        app.Map("/abort", async ctx =>
        {
            using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
            await ws.ReceiveAsync(new byte[64], CancellationToken.None); // the client is surely connected now
            ctx.Abort(); // the TCP connection drops: no close frame
        });
        app.MapGet("/rest", () => "{\"price\":\"42.5\"}");
        app.MapGet("/never", async (HttpContext ctx) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });
        await app.StartAsync();
        _app = app;
        var http = new Uri(app.Urls.First());
        BaseUri = new Uri($"ws://{http.Host}:{http.Port}/");
        HttpUri = new Uri($"http://{http.Host}:{http.Port}/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static async Task Echo(HttpContext ctx)
    {
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[1 << 16];
        while (true)
        {
            int filled = 0;
            ValueWebSocketReceiveResult r;
            do
            {
                r = await ws.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                filled += r.Count;
            }
            while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close);

            if (r.MessageType == WebSocketMessageType.Close)
            {
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            await ws.SendAsync(buffer.AsMemory(0, filled), r.MessageType, true, CancellationToken.None);
        }
    }

    private static async Task Silent(HttpContext ctx)
    {
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        try
        {
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task Hello(HttpContext ctx)
    {
        string? chosen = ctx.WebSockets.WebSocketRequestedProtocols.FirstOrDefault();
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync(chosen);
        string text = $"key={ctx.Request.Headers["X-Api-Key"]} protocol={chosen}";
        await ws.SendAsync(System.Text.Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        var buffer = new byte[64];
        while ((await ws.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
        {
        }
    }

    private static async Task Push(HttpContext ctx)
    {
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        for (int i = 1; i <= 3; i++)
        {
            await ws.SendAsync(System.Text.Encoding.UTF8.GetBytes($"message {i}"), WebSocketMessageType.Text, true, CancellationToken.None);
        }

        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        var buffer = new byte[64];
        while ((await ws.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
        {
        }
    }

    /// <summary>The server side on a loop: receive a message, send it back, until the client closes.</summary>
    private static async Task LoopEcho(HttpContext ctx)
    {
        var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var loop = new Loop();
                var session = new LoopEchoSession(new WebSocketConnection(ws));
                session.Connection.Receive(loop, session.ReceiveOp, session.Buffer, session, LoopEchoSession.OnReceive);
                loop.Run(RunMode.UntilDone);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        thread.Start();
        await done.Task;
    }

    private sealed class LoopEchoSession(WebSocketConnection connection)
    {
        public WebSocketConnection Connection => connection;

        public byte[] Buffer { get; } = new byte[4096];

        public Completion ReceiveOp { get; } = new();

        public static CallbackAction OnReceive(LoopEchoSession s, Loop loop, Completion c, in CompletionResult r)
        {
            if (r.Exception is not null)
            {
                return CallbackAction.Disarm;
            }

            if (r.MessageType == WebSocketMessageType.Close)
            {
                s.Connection.Close(loop, c, WebSocketCloseStatus.NormalClosure, "loop bye", s, static (_, _, _, in _) => CallbackAction.Disarm);
                return CallbackAction.Disarm;
            }

            s.Connection.Send(loop, c, s.Buffer.AsMemory(0, r.BytesTransferred), r.MessageType, s, static (s2, l, c2, in r2) =>
            {
                if (r2.Exception is null)
                {
                    s2.Connection.Receive(l, c2, s2.Buffer, s2, OnReceive);
                }

                return CallbackAction.Disarm;
            });
            return CallbackAction.Disarm;
        }
    }
}
