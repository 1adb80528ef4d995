using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace EventLoop.Tests;

/// <summary>
/// /flood?n=N on the test servers: sends N numbered 64-byte text messages as fast as the socket takes them (each
/// "message {i}" padded with '.'), then a close frame ("flooded"), then waits for the client's close or abort.
/// </summary>
internal static class FloodEndpoint
{
    public const int MessageLength = 64;

    /// <summary>Message <paramref name="i"/> as the endpoint sends it.</summary>
    public static string Message(int i) => $"message {i}".PadRight(MessageLength, '.');

    public static async Task Handle(HttpContext ctx)
    {
        int n = int.Parse(ctx.Request.Query["n"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        var payload = new byte[MessageLength];
        try
        {
            for (int i = 1; i <= n; i++)
            {
                System.Text.Encoding.ASCII.GetBytes(Message(i), payload);
                await ws.SendAsync(payload, WebSocketMessageType.Text, true, ctx.RequestAborted);
            }

            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "flooded", ctx.RequestAborted);
            while ((await ws.ReceiveAsync(payload, ctx.RequestAborted)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            // the client went away: the test is over
        }
    }
}
