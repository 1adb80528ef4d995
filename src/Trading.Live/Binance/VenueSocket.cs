using EventLoop;
using EventLoop.Net;

namespace Trading.Live.Binance;

/// <summary>
/// Opens the venue's WebSocket connections (market streams, the WebSocket API) on whatever the loop runs on: on an
/// io_uring or epoll loop the TCP, TLS and framing run on the loop thread itself (<see cref="LoopWebSocket"/>: no hop
/// between a frame's arrival and its callback); on the runtime backend through the runtime's <c>ClientWebSocket</c>.
/// Either way the result is an ordinary <see cref="WebSocketConnection"/>.
/// <para>No client keep-alive frames (KeepAliveInterval 0): Binance pings every 20 s and the BCL answers each ping
/// (which is what keeps the connection open, through proxies too); unsolicited pongs "do not keep the connection
/// alive" (binance.md), and their runtime timer woke a thread-pool thread every few seconds of an idle run.
/// Liveness is the engine's own: the API heartbeat (a <c>ping</c> request) and the market-silence watchdog.</para>
/// </summary>
internal static class VenueSocket
{
    private static readonly TimeSpan KeepAlive = TimeSpan.Zero;

    public static void Connect<TState>(Loop loop, Completion c, Uri url, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        if (loop.Backend == LoopBackend.Runtime)
        {
            WebSocketConnection.Connect(loop, c, url, static o => o.KeepAliveInterval = KeepAlive, timeout, state, callback);
        }
        else
        {
            LoopWebSocket.Connect(loop, c, url, static o => o.KeepAliveInterval = KeepAlive, timeout, state, callback);
        }
    }
}
