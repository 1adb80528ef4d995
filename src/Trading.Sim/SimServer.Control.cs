using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Trading.Sim.Api;

namespace Trading.Sim;

/// <summary>
/// The simulator's own control endpoints under <c>/sim/</c> (not Binance): lockstep stepping, pause/resume, state, the
/// exchange's truth and the fault counts. Loopback callers only, and only with the API key in <c>X-MBX-APIKEY</c>
/// (401 without it): a client that can trade can drive the clock, nobody else.
/// </summary>
public sealed partial class SimServer
{
    private void MapControl(WebApplication app, SimOptions options)
    {
        app.MapPost("/sim/step", ctx => Control(ctx, options, () =>
        {
            var q = ctx.Request.Query;
            var events = Count(q["events"]);
            var candles = Count(q["candles"]);
            if ((events is null) == (candles is null))
            {
                throw new ApiException(400, -1102, "Send exactly one of 'events' or 'candles', a positive integer.");
            }

            return events is { } n ? Step(n) : StepCandles(candles!.Value);
        }));
        app.MapPost("/sim/advance", ctx => Control(ctx, options, () =>
            long.TryParse(ctx.Request.Query["to"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var to)
                ? AdvanceTo(to)
                : throw new ApiException(400, -1102, "Param 'to' (market time, ms) must be sent as an integer.")));
        app.MapPost("/sim/pause", ctx => Control(ctx, options, () =>
        {
            Pause();
            return 0;
        }));
        app.MapPost("/sim/resume", ctx => Control(ctx, options, () =>
        {
            if (!double.TryParse(ctx.Request.Query["speed"], NumberStyles.Float, CultureInfo.InvariantCulture, out var speed)
                || !(speed > 0) || double.IsInfinity(speed))
            {
                throw new ApiException(400, -1102, "Param 'speed' (market ms per wall ms) must be a positive number.");
            }

            Resume(speed);
            return 0;
        }));
        app.MapGet("/sim/state", ctx => Control(ctx, options, () => null));
        app.MapGet("/sim/truth", ctx => Guarded(ctx, options, TruthJsonAsync));
        app.MapGet("/sim/faults", ctx => Guarded(ctx, options, FaultsJsonAsync));
    }

    private Task<byte[]> TruthJsonAsync() => Task.FromResult(_exchange.Truth());

    private Task<byte[]> FaultsJsonAsync() => Task.FromResult(Faults.ToJson());

    private static int? Count(string? raw) =>
        raw is null ? null
        : int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new ApiException(400, -1102, $"'{raw}' is not a positive integer.");

    /// <summary>
    /// Runs a control action (it returns how many events it emitted, or null) and answers the state after it; with
    /// <c>wait=idle</c>, once the exchange is idle (every reply and frame the step caused written), so a lockstep client
    /// need not poll.
    /// </summary>
    private Task Control(HttpContext ctx, SimOptions options, Func<int?> action) => Guarded(ctx, options, async () =>
    {
        var stepped = action();
        if (ctx.Request.Query["wait"].ToString() == "idle")
        {
            await WhenIdleAsync(ctx.RequestAborted).ConfigureAwait(false);
        }

        var s = State;
        return BinanceJson.Build(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("time", s.Time);
            w.WriteNumber("candle_index", s.CandleIndex);
            w.WriteNumber("events_left", s.EventsLeft);
            w.WriteBoolean("idle", s.Idle);
            w.WriteNumber("speed", s.Speed);
            w.WriteBoolean("finished", s.Finished);
            if (stepped is { } n)
            {
                w.WriteNumber("stepped", n);
            }

            w.WriteEndObject();
        });
    });

    private static async Task Guarded(HttpContext ctx, SimOptions options, Func<Task<byte[]>> body)
    {
        byte[] reply;
        if (ctx.Connection.RemoteIpAddress is not { } ip || !IPAddress.IsLoopback(ip))
        {
            ctx.Response.StatusCode = 403;
            reply = BinanceJson.Build(w => BinanceJson.Error(w, -2015, "Control endpoints answer loopback callers only."));
        }
        else if (ctx.Request.Headers["X-MBX-APIKEY"].ToString() != options.ApiKey)
        {
            ctx.Response.StatusCode = 401;
            reply = BinanceJson.Build(w => BinanceJson.Error(w, -2014, "API-key format invalid."));
        }
        else
        {
            try
            {
                reply = await body().ConfigureAwait(false);
            }
            catch (ApiException e)
            {
                ctx.Response.StatusCode = e.Status;
                reply = BinanceJson.Build(w => BinanceJson.Error(w, e.Code, e.Message));
            }
        }

        ctx.Response.ContentType = "application/json";
        await ctx.Response.Body.WriteAsync(reply, ctx.RequestAborted).ConfigureAwait(false);
    }
}
