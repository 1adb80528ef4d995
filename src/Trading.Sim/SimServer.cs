using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Sim.Api;
using Trading.Sim.Faults;
using Trading.Sim.Transport;

namespace Trading.Sim;

/// <summary>
/// The local Binance-compatible exchange: Kestrel on 127.0.0.1 serving market streams (<c>/ws/&lt;stream&gt;</c>,
/// <c>/stream?streams=a/b</c>), the WebSocket API (<c>/ws-api/v3</c>) and REST (<c>/api/v3/…</c>) over one
/// matching engine. Start it with <see cref="StartAsync"/>; with <see cref="SimOptions.Speed"/> 0 it starts paused
/// (lockstep): the market moves only through <see cref="Step"/>, <see cref="StepCandles"/>, <see cref="AdvanceTo"/>
/// (or <c>POST /sim/step</c>, <c>/sim/advance</c>); otherwise, and after <see cref="Resume"/>, a background pump replays
/// it in real time until <see cref="Pause"/>. <see cref="State"/> says where it stands and whether the data is exhausted.
/// </summary>
public sealed partial class SimServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimExchange _exchange;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _pace = new();
    private Task _pump = Task.CompletedTask;
    private double _speed;
    private CancellationTokenSource _wake = new();
    private int _closedConnections;
    private int _disposed;

    private SimServer(WebApplication app, SimExchange exchange)
    {
        _app = app;
        _exchange = exchange;
    }

    public int Port { get; private set; }

    /// <summary>REST base, e.g. http://127.0.0.1:PORT (the API lives under /api/v3).</summary>
    public Uri RestUrl => new($"http://127.0.0.1:{Port}");

    /// <summary>Market stream base, e.g. ws://127.0.0.1:PORT (append /ws/&lt;stream&gt; or /stream?streams=…).</summary>
    public Uri StreamUrl => new($"ws://127.0.0.1:{Port}");

    /// <summary>The WebSocket API endpoint, ws://127.0.0.1:PORT/ws-api/v3.</summary>
    public Uri WebSocketApiUrl => new($"ws://127.0.0.1:{Port}/ws-api/v3");

    public FaultInjector Faults => _exchange.Faults;

    /// <summary>The replay clock: market time of the last event, ms since the epoch.</summary>
    public long MarketTime => _exchange.MarketTime;

    /// <summary>Market time of the next event, or null once the candles are exhausted.</summary>
    public long? NextEventTime => _exchange.NextEventTime;

    public string Symbol => _exchange.Symbol;

    /// <summary>The kline intervals served (streams and REST), finest first: the data's and its multiples up to 1d.</summary>
    public IReadOnlyList<string> ServedIntervals => _exchange.ServedIntervals;

    /// <summary>How many WebSocket connections have ended (any reason); tests await it instead of sleeping.</summary>
    public int ClosedConnections => Volatile.Read(ref _closedConnections);

    /// <summary>Raised (on a server thread) each time a WebSocket connection ends.</summary>
    public event Action? ConnectionClosed;

    /// <summary>Emits up to <paramref name="events"/> market events (trades and kline closes); returns how many.</summary>
    public int Step(int events = 1) => _exchange.Step(events);

    /// <summary>
    /// Emits events until <paramref name="candles"/> kline closes have gone out (a candle is five events: four trade
    /// prints, then the close); returns how many events that took, fewer than asked at the end of the data.
    /// </summary>
    public int StepCandles(int candles = 1) => _exchange.StepCandles(candles);

    /// <summary>The replay's position, whether every request is answered (<see cref="SimState.Idle"/>) and whether the
    /// data is exhausted (<see cref="SimState.Finished"/>).</summary>
    public SimState State => _exchange.State(Volatile.Read(ref _speed));

    /// <summary>The exchange's own orders, trades and balances as JSON (allOrders / myTrades / balances shapes), never
    /// touched by faults: what a test compares a client's view against.</summary>
    public string Truth() => System.Text.Encoding.UTF8.GetString(_exchange.Truth());

    /// <summary>
    /// Completes once <see cref="SimState.Idle"/> holds: every request received has been answered and every queued frame
    /// written to its socket (frames a fault holds until the replay clock moves excepted). The lockstep loop: step, await
    /// this, let the client process what it received, step again.
    /// </summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default) => _exchange.WhenIdleAsync(cancellationToken);

    /// <summary>Stops the real-time replay; the market then moves only when stepped. Idempotent.</summary>
    public void Pause() => SetSpeed(0);

    /// <summary>Replays in real time at <paramref name="speed"/> market ms per wall ms, from the current market time.</summary>
    public void Resume(double speed)
    {
        if (!(speed > 0) || double.IsInfinity(speed))
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "a positive, finite speed");
        }

        SetSpeed(speed);
    }

    private void SetSpeed(double speed)
    {
        CancellationTokenSource old;
        lock (_pace)
        {
            _speed = speed;
            _exchange.Speed = speed;
            old = _wake;
            _wake = new CancellationTokenSource();
        }

        old.Cancel();
        old.Dispose();
    }

    /// <summary>Emits every market event due at or before <paramref name="marketTimeMs"/>; returns how many.</summary>
    public int AdvanceTo(long marketTimeMs) => _exchange.AdvanceTo(marketTimeMs);

    /// <summary>Binance's kline interval label ("1m", "1h"…) for an interval in ms, or null when there is none.</summary>
    public static string? IntervalLabel(long intervalMs) => Market.IntraCandlePath.IntervalLabel(intervalMs);

    public static async Task<SimServer> StartAsync(SimOptions options, CancellationToken cancellationToken = default)
    {
        var exchange = new SimExchange(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var server = new SimServer(app, exchange);
        app.UseWebSockets();
        server.Map(app, options);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        server._speed = options.Speed;
        exchange.Speed = options.Speed;
        server._pump = Task.Run(() => server.PumpAsync(options.Time));

        return server;
    }

    /// <summary>Announces the shutdown to every client (serverShutdown), closes the connections after their queued frames, stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Planned shutdown, as Binance does it: the serverShutdown notice, then a close handshake; only connections that
        // do not finish it within a second are aborted when the receive loops are canceled.
        var connections = _exchange.AnnounceShutdown();
        await WithinAsync(Task.WhenAll(connections.Select(c => c.PumpTask)), TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await Task.WhenAll(connections.Where(c => !c.Aborted.IsCancellationRequested && c.Socket.State == WebSocketState.Open)
            .Select(c => CloseQuietlyAsync(c.Socket, WebSocketCloseStatus.EndpointUnavailable))).ConfigureAwait(false);
        await WithinAsync(Task.WhenAll(connections.Select(c => c.Finished.Task)), TimeSpan.FromSeconds(1)).ConfigureAwait(false);

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _exchange.Dispose();
        _stop.Dispose();
        _wake.Dispose();
    }

    private static async Task WithinAsync(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Clients that do not keep up are not waited for.
        }
    }

    /// <summary>
    /// Replays the market while the speed is above 0: market time = market time at the (re)start + wall elapsed × speed.
    /// A pause or resume wakes it (<see cref="_wake"/>) and it starts over from the market time it finds then.
    /// </summary>
    private async Task PumpAsync(TimeProvider time)
    {
        while (!_stop.IsCancellationRequested)
        {
            double speed;
            CancellationToken wake;
            lock (_pace)
            {
                speed = _speed;
                wake = _wake.Token;
            }

            using var either = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, wake);
            try
            {
                if (speed <= 0)
                {
                    await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(false);
                    continue;
                }

                var wallStart = time.GetUtcNow();
                var marketStart = _exchange.MarketTime;
                while (_exchange.NextEventTime is { } next)
                {
                    var due = wallStart + TimeSpan.FromMilliseconds((next - marketStart) / speed);
                    var wait = due - time.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, time, either.Token).ConfigureAwait(false);
                    }

                    var elapsed = (time.GetUtcNow() - wallStart).TotalMilliseconds;
                    _exchange.AdvanceTo(marketStart + (long)(elapsed * speed));
                }

                // The data is exhausted: nothing moves again until the server stops.
                await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
                // Paused or resumed: start over with the new speed.
            }
        }
    }

    private void Map(WebApplication app, SimOptions options)
    {
        app.Map("/ws-api/v3", ctx => Socket(ctx, options, isApi: true, [], combined: false));
        app.Map("/stream", ctx => Socket(ctx, options, isApi: false,
            (ctx.Request.Query["streams"].ToString()).Split('/', StringSplitOptions.RemoveEmptyEntries), combined: true));
        app.Map("/ws", ctx => Socket(ctx, options, isApi: false, [], combined: false));
        app.Map("/ws/{**streams}", ctx => Socket(ctx, options, isApi: false,
            (ctx.Request.RouteValues["streams"] as string ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries), combined: false));

        app.MapGet("/api/v3/ping", ctx => Rest(ctx, "ping"));
        app.MapGet("/api/v3/time", ctx => Rest(ctx, "time"));
        app.MapGet("/api/v3/exchangeInfo", ctx => Rest(ctx, "exchangeInfo"));
        app.MapGet("/api/v3/klines", ctx => Rest(ctx, "klines"));
        app.MapGet("/api/v3/ticker/bookTicker", ctx => Rest(ctx, "ticker.book"));
        app.MapGet("/api/v3/ticker/24hr", ctx => Rest(ctx, "ticker.24hr"));
        app.MapGet("/api/v3/ticker/price", ctx => Rest(ctx, "ticker.price"));
        app.MapGet("/api/v3/depth", ctx => Rest(ctx, "depth"));
        app.MapPost("/api/v3/order", ctx => Rest(ctx, "order.place"));
        app.MapPost("/api/v3/orderList/oco", ctx => Rest(ctx, "orderList.place.oco"));
        app.MapDelete("/api/v3/order", ctx => Rest(ctx, "order.cancel"));
        app.MapGet("/api/v3/order", ctx => Rest(ctx, "order.status"));
        app.MapGet("/api/v3/openOrders", ctx => Rest(ctx, "openOrders.status"));
        app.MapDelete("/api/v3/openOrders", ctx => Rest(ctx, "openOrders.cancelAll"));
        app.MapGet("/api/v3/allOrders", ctx => Rest(ctx, "allOrders"));
        app.MapGet("/api/v3/account", ctx => Rest(ctx, "account.status"));
        app.MapGet("/api/v3/myTrades", ctx => Rest(ctx, "myTrades"));
        MapControl(app, options);
    }

    private async Task Socket(HttpContext ctx, SimOptions options, bool isApi, IEnumerable<string> streams, bool combined)
    {
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            ctx.Response.StatusCode = 400;
            return;
        }

        if (streams.Select(_exchange.Unserved).FirstOrDefault(m => m is not null) is { } unserved)
        {
            ctx.Response.StatusCode = 400;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.Body.WriteAsync(BinanceJson.Build(w => BinanceJson.Error(w, -1120, unserved))).ConfigureAwait(false);
            return;
        }

        if (_exchange.Banned)
        {
            // The ban fault: a banned IP cannot connect either.
            _exchange.CountRefusal(418);
            ctx.Response.StatusCode = 418;
            return;
        }

        if (isApi && !_exchange.AdmitApiConnection())
        {
            // CONNECTIONS: 300 WebSocket API connections per 5 minutes.
            _exchange.CountRefusal(429);
            ctx.Response.StatusCode = 429;
            return;
        }

        var returnLimits = ctx.Request.Query["returnRateLimits"].ToString() != "false";
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = options.PingInterval,
            KeepAliveTimeout = options.PongTimeout,
        }).ConfigureAwait(false);
        var c = _exchange.Register(socket, isApi, streams, combined, returnLimits);
        var pump = c.PumpTask;
        var pending = new List<Task>();
        try
        {
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            while (!_stop.IsCancellationRequested && !c.Aborted.IsCancellationRequested)
            {
                var r = await socket.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage)
                {
                    continue;
                }

                var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                if (isApi)
                {
                    var t = _exchange.HandleApiRequestAsync(c, text);
                    if (!t.IsCompleted)
                    {
                        pending.Add(t);
                    }
                }
                else
                {
                    _exchange.HandleStreamControl(c, text);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Client went away, the keep-alive timed out, a fault dropped it, or the server is stopping.
        }
        finally
        {
            _exchange.Unregister(c);
            c.Complete();
            if (!c.Aborted.IsCancellationRequested && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                // A normal end (the client closed): send what is queued, then complete the close handshake.
                await pump.ConfigureAwait(false);
                await CloseQuietlyAsync(socket, WebSocketCloseStatus.NormalClosure).ConfigureAwait(false);
            }
            else if (socket.State is not (WebSocketState.Closed or WebSocketState.CloseSent))
            {
                c.Abort();
            }

            await pump.ConfigureAwait(false);
            Interlocked.Increment(ref _closedConnections);
            c.Finished.TrySetResult();
            ConnectionClosed?.Invoke();
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket, WebSocketCloseStatus status)
    {
        try
        {
            using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await socket.CloseOutputAsync(status, null, closing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer is gone or not reading: nothing more to do.
        }
    }

    private async Task Rest(HttpContext ctx, string method)
    {
        _exchange.BeginRequest();
        var answered = 0;
        void MarkAnswered()
        {
            if (Interlocked.Exchange(ref answered, 1) == 0)
            {
                _exchange.EndRequest();
            }
        }

        try
        {
            await RestCoreAsync(ctx, method, MarkAnswered).ConfigureAwait(false);
        }
        finally
        {
            MarkAnswered();
        }
    }

    /// <summary>One REST request; <paramref name="markAnswered"/> is called as soon as the reply is decided, even when a
    /// fault then holds it (lockstep idleness counts a held or lost reply as answered).</summary>
    private async Task RestCoreAsync(HttpContext ctx, string method, Action markAnswered)
    {
        var rawQuery = ctx.Request.QueryString.Value ?? "";
        var rawBody = "";
        if (ctx.Request.ContentLength is > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            rawBody = await reader.ReadToEndAsync(ctx.RequestAborted).ConfigureAwait(false);
        }

        ApiReply reply;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            // The query string wins over the body when a key appears in both.
            foreach (var (k, v) in QueryHelpers.ParseQuery(rawBody))
            {
                values[k] = v.Count == 1 ? v[0]! : throw new ApiException(400, -1101, "Duplicate values for a parameter detected.");
            }

            foreach (var (k, v) in QueryHelpers.ParseQuery(rawQuery))
            {
                values[k] = v.Count == 1 ? v[0]! : throw new ApiException(400, -1101, "Duplicate values for a parameter detected.");
            }

            var p = new ApiParams(values);
            var apiKey = ctx.Request.Headers["X-MBX-APIKEY"].ToString();
            var call = new ApiCall(method, p, apiKey.Length == 0 ? null : apiKey, p.Get("signature"),
                Signing.RestPayload(rawQuery, rawBody), Rest: true);
            reply = _exchange.Execute(call);
        }
        catch (ApiException e)
        {
            reply = new ApiReply(e.Status, BinanceJson.Build(w => BinanceJson.Error(w, e.Code, e.Message)), true, null, [], TimeSpan.Zero, false);
        }

        if (reply.Lost)
        {
            // lose-ack: the order is placed, the response never comes; the client's own timeout ends the request.
            markAnswered();
            using var gone = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stop.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, gone.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                ctx.Abort();
            }

            return;
        }

        if (reply.HeldUntilStep is { } held)
        {
            markAnswered();
            using var gone = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stop.Token);
            await held.WaitAsync(gone.Token).ConfigureAwait(false);
        }

        if (reply.Delay > TimeSpan.Zero)
        {
            await Task.Delay(reply.Delay, ctx.RequestAborted).ConfigureAwait(false);
        }

        var headers = ctx.Response.Headers;
        foreach (var l in reply.Limits)
        {
            var letter = l.Interval[0];
            var name = l.Type == "REQUEST_WEIGHT" ? $"X-MBX-USED-WEIGHT-{l.IntervalNum}{letter}" : $"X-MBX-ORDER-COUNT-{l.IntervalNum}{letter}";
            if (l.Type == "REQUEST_WEIGHT" || (!reply.IsError && reply.CountsOrders))
            {
                headers[name] = l.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (reply.RetryAfterMs is { } retry)
        {
            var now = _exchange.WallNow;
            headers.RetryAfter = Math.Max(1, (retry - now + 999) / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        ctx.Response.StatusCode = reply.Status;
        ctx.Response.ContentType = "application/json;charset=UTF-8";
        await ctx.Response.Body.WriteAsync(reply.Body, ctx.RequestAborted).ConfigureAwait(false);
    }
}
