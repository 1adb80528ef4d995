using System.Net.WebSockets;
using EventLoop;
using EventLoop.Net;

namespace Trading.Live.Binance;

/// <summary>
/// One combined market-stream connection on the loop: connects, keeps one receive armed (so the runtime answers the
/// server's pings), parses each frame in place (<see cref="MarketMessageParser"/>: no allocation per message) and hands
/// it to the listener. A frame that does not parse is counted in <see cref="MalformedFrames"/>, reported
/// (<see cref="IMarketListener.OnBadFrame"/>) and skipped. A message longer than the buffer grows the buffer (rare:
/// market frames are small). One instance is one connection: the engine reconnects with a new one, and
/// <see cref="VerifySubscriptions"/> checks (LIST_SUBSCRIPTIONS) that the streams asked for are the ones delivered.
/// Loop thread only.
/// </summary>
public sealed class MarketStream
{
    private static readonly Callback<MarketStream> OnConnect = (s, loop, c, in r) => s.Connected(loop, r);
    private static readonly Callback<MarketStream> OnReceive = (s, loop, c, in r) => s.Received(loop, r);
    private static readonly Callback<MarketStream> OnClose = (s, loop, c, in r) => s.Closed(r);
    private static readonly Callback<MarketStream> OnSent = (s, loop, c, in r) => s.Sent(r);
    private readonly Loop _loop;
    private readonly Uri _url;
    private readonly IMarketListener _listener;
    private readonly Func<long> _clock;
    private readonly Completion _connect = new();
    private readonly Completion _receive = new();
    private readonly Completion _close = new();
    private readonly Completion _send = new();
    private byte[]? _verifyFrame;
    private IReadOnlyList<string>? _expected;
    private byte[] _buffer = new byte[64 * 1024];
    private int _filled;
    private MarketMessage _message;
    private WebSocketConnection? _ws;
    private bool _started;
    private bool _closing;
    private bool _ended;

    /// <param name="clock">The engine clock (ms) that stamps quotes, which carry no time of their own.</param>
    public MarketStream(Loop loop, Uri url, IMarketListener listener, Func<long> clock)
    {
        _loop = loop;
        _url = url;
        _listener = listener;
        _clock = clock;
    }

    public long Messages { get; private set; }

    public long MalformedFrames { get; private set; }

    public bool IsOpen => _ws is not null && !_ended;

    public void Start(TimeSpan connectTimeout)
    {
        _started = true;
        WebSocketConnection.Connect(_loop, _connect, _url, o => o.KeepAliveInterval = TimeSpan.FromSeconds(20), connectTimeout, this, OnConnect);
    }

    /// <summary>
    /// Asks the server which streams this connection delivers (<c>LIST_SUBSCRIPTIONS</c>, id <paramref name="id"/>);
    /// the listener hears <see cref="IMarketListener.OnSubscriptionsVerified"/> with whether all of
    /// <paramref name="streams"/> are among them. Call once the stream is connected.
    /// </summary>
    public void VerifySubscriptions(IReadOnlyList<string> streams, long id)
    {
        if (_ws is null || _ended || _closing || _send.State != CompletionState.Dead)
        {
            return;
        }

        _expected = streams;
        _verifyFrame = System.Text.Encoding.UTF8.GetBytes($"{{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":{id}}}");
        _ws.Send(_loop, _send, _verifyFrame, WebSocketMessageType.Text, this, OnSent);
    }

    /// <summary>Ends the connection at once (a stale stream: no close handshake to wait for).</summary>
    public void Abort(string why)
    {
        if (!_ended)
        {
            End(why);
        }
    }

    /// <summary>Starts the close handshake; the pending receive sees the peer's close and the listener hears OnMarketClosed.</summary>
    public void Close()
    {
        if (_closing || _ended)
        {
            return;
        }

        _closing = true;
        if (_ws is null)
        {
            if (!_started)
            {
                End(null); // never connected: nothing to close
            }

            return; // connecting: the connect callback ends it
        }

        _ws.Close(_loop, _close, WebSocketCloseStatus.NormalClosure, null, TimeSpan.FromSeconds(2), this, OnClose);
    }

    private CallbackAction Connected(Loop loop, in CompletionResult r)
    {
        if (!r.IsSuccess || r.WebSocket is null)
        {
            End($"cannot connect to {_url.GetLeftPart(UriPartial.Authority)}: {r.Exception?.Message ?? "canceled"}");
            return CallbackAction.Disarm;
        }

        _ws = r.WebSocket;
        if (_closing)
        {
            End(null);
            return CallbackAction.Disarm;
        }

        _listener.OnMarketConnected();
        _ws.Receive(loop, _receive, _buffer, this, OnReceive);
        return CallbackAction.Disarm;
    }

    private CallbackAction Received(Loop loop, in CompletionResult r)
    {
        if (!r.IsSuccess)
        {
            End(_closing ? null : $"market stream: {r.Exception?.Message ?? "canceled"}");
            return CallbackAction.Disarm;
        }

        if (r.MessageType == WebSocketMessageType.Close)
        {
            if (!_closing)
            {
                Close(); // answer the peer's close; OnClose reports the end
            }

            return CallbackAction.Disarm;
        }

        _filled += r.BytesTransferred;
        if (!r.EndOfMessage)
        {
            if (_filled == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            _ws!.Receive(loop, _receive, _buffer.AsMemory(_filled), this, OnReceive);
            return CallbackAction.Disarm;
        }

        var length = _filled;
        _filled = 0;
        Dispatch(length);
        if (_ended || _ws is null)
        {
            return CallbackAction.Disarm;
        }

        if (_receive.State == CompletionState.Dead)
        {
            _ws.Receive(loop, _receive, _buffer, this, OnReceive);
        }

        return CallbackAction.Disarm;
    }

    private void Dispatch(int length)
    {
        Messages++;
        try
        {
            MarketMessageParser.Parse(_buffer.AsSpan(0, length), _clock(), ref _message);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            MalformedFrames++;
            _listener.OnBadFrame(e is System.Text.Json.JsonException ? "market stream: malformed JSON" : "market stream: unreadable frame", e.Message);
            return;
        }

        if (_message.Kind == MarketMessageKind.ControlReply && _expected is { } expected)
        {
            _expected = null;
            Messages--; // our own question's answer, not market data
            Verified(_buffer.AsSpan(0, length), expected);
            return;
        }

        if (_message.Kind == MarketMessageKind.Unknown)
        {
            _listener.OnBadFrame("market stream: unknown message", "a frame of a shape this client does not use");
        }

        _listener.OnMarket(ref _message);
    }

    private void Verified(ReadOnlySpan<byte> json, IReadOnlyList<string> expected)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json.ToArray());
            var result = doc.RootElement.GetProperty("result");
            var got = result.ValueKind == System.Text.Json.JsonValueKind.Array
                ? result.EnumerateArray().Select(e => e.GetString()).ToHashSet(StringComparer.Ordinal)
                : [];
            var missing = expected.Where(e => !got.Contains(e)).ToArray();
            _listener.OnSubscriptionsVerified(missing.Length == 0, missing.Length == 0 ? string.Join(", ", expected) : "missing " + string.Join(", ", missing));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            _listener.OnSubscriptionsVerified(false, "unreadable LIST_SUBSCRIPTIONS answer");
        }
    }

    private CallbackAction Sent(in CompletionResult r)
    {
        if (!r.IsSuccess && !_ended)
        {
            End($"market stream send: {r.Exception?.Message ?? "canceled"}");
        }

        return CallbackAction.Disarm;
    }

    private CallbackAction Closed(in CompletionResult r)
    {
        End(null);
        return CallbackAction.Disarm;
    }

    private void End(string? error)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        _ws?.Dispose();
        _listener.OnMarketClosed(error);
    }
}
