using System.Net.Security;
using System.Net.WebSockets;

namespace EventLoop.Net;

/// <summary>Options of <see cref="LoopWebSocket.Connect{TState}"/>: the upgrade request's headers and sub-protocols, keep-alive, TLS validation.</summary>
public sealed class LoopWebSocketOptions
{
    private int _receiveBufferSize = LoopStream.DefaultReceiveBufferSize;

    internal List<KeyValuePair<string, string>> Headers { get; } = [];

    internal List<string> SubProtocols { get; } = [];

    /// <summary>PING interval of the runtime's keep-alive (default <see cref="WebSocket.DefaultKeepAliveInterval"/>, as ClientWebSocket; <see cref="TimeSpan.Zero"/>: none).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = WebSocket.DefaultKeepAliveInterval;

    /// <summary>How long the runtime waits for a PONG before aborting (default infinite: PINGs are unsolicited PONGs, nothing is awaited).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// The <see cref="LoopStream"/>'s receive buffer (default <see cref="LoopStream.DefaultReceiveBufferSize"/>): one receive
    /// takes up to this much of what the socket holds, and the frame headers and payloads are then read from it
    /// without a system call. At least 1 byte.
    /// </summary>
    public int ReceiveBufferSize
    {
        get => _receiveBufferSize;
        set => _receiveBufferSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a receive buffer holds at least 1 byte");
    }

    /// <summary>wss://: validates the server's certificate (default: the system's validation).</summary>
    public RemoteCertificateValidationCallback? RemoteCertificateValidationCallback { get; set; }

    /// <summary>Adds a header to the upgrade request (e.g. an API key). Names and values must not contain CR or LF.</summary>
    public void SetRequestHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.AsSpan().IndexOfAny('\r', '\n', ':') >= 0 || value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("a header name or value contains CR, LF (or a colon in the name)", nameof(name));
        }

        Headers.Add(new(name, value));
    }

    /// <summary>Offers a sub-protocol; the one the server picks is <see cref="WebSocket.SubProtocol"/>.</summary>
    public void AddSubProtocol(string subProtocol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subProtocol);
        SubProtocols.Add(subProtocol);
    }
}
