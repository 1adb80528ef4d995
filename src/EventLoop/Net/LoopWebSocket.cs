using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace EventLoop.Net;

/// <summary>
/// A client WebSocket whose TCP, TLS and framing all run on the loop thread: a loop <see cref="Tcp"/> connect, a
/// <see cref="LoopStream"/>, an <see cref="SslStream"/> over it for wss://, the HTTP upgrade (the only handshake code
/// here: the request, the 101 status and the <c>Sec-WebSocket-Accept</c> check), then
/// <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/> (System.Net.WebSockets does the framing).
/// The result is an ordinary <see cref="WebSocketConnection"/>; its receives and sends now complete inline on the
/// loop thread instead of on the runtime's I/O threads.
/// <para>Traps: host names are resolved with the runtime's DNS (off the loop), then the connect continues on the
/// loop; certificate validation runs on the loop thread (keep a custom callback cheap; revocation is not checked,
/// as SslStream's default). The runtime's keep-alive PING is sent from its timer thread, and after a close handshake
/// the runtime waits for the server's FIN with a timer: those reads and writes start off the loop thread and are
/// handed to it (one hop each); messages never hop.</para>
/// </summary>
public static class LoopWebSocket
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private const int MaxResponseHead = 16 * 1024;

    /// <summary>
    /// Connects to <paramref name="uri"/> (ws:// or wss://); <see cref="CompletionResult.WebSocket"/> is the connection
    /// (owned by the callback), or <see cref="CompletionResult.Exception"/> says why not. The deadline covers DNS, TCP,
    /// TLS and the upgrade; past it (or on <see cref="Loop.Cancel"/>) everything started is aborted. Loop thread.
    /// </summary>
    public static void Connect<TState>(Loop loop, Completion c, Uri uri, Action<LoopWebSocketOptions>? configure, TimeSpan timeout, TState state, Callback<TState> callback)
        where TState : class?
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || uri.Scheme is not ("ws" or "wss"))
        {
            throw new ArgumentException($"a WebSocket URI is ws:// or wss://, not {uri}", nameof(uri));
        }

        var options = new LoopWebSocketOptions();
        configure?.Invoke(options);
        loop.Await<TState, WebSocketConnection>(c, state, (_, token) => ConnectAsync(loop, uri, options, token), timeout, callback);
    }

    private static async Task<WebSocketConnection> ConnectAsync(Loop loop, Uri uri, LoopWebSocketOptions options, CancellationToken token)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.DnsSafeHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            addresses = await Dns.GetHostAddressesAsync(uri.DnsSafeHost, token).ConfigureAwait(false);
            await new LoopSwitch(loop);
        }

        Exception? last = null;
        foreach (var address in addresses)
        {
            var tcp = new Tcp(address.AddressFamily);
            try
            {
                await ConnectTcp(loop, tcp, new IPEndPoint(address, uri.Port), token).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                tcp.Dispose();
                last = e;
                continue;
            }
            catch
            {
                tcp.Dispose();
                throw;
            }

            Stream stream = new LoopStream(loop, tcp, options.ReceiveBufferSize);
            try
            {
                if (uri.Scheme == "wss")
                {
                    var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                    stream = ssl;
                    await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        TargetHost = uri.IdnHost,
                        RemoteCertificateValidationCallback = options.RemoteCertificateValidationCallback,
                    }, token).ConfigureAwait(false);
                }

                var (head, offset, count, subProtocol) = await Upgrade(stream, uri, options, token).ConfigureAwait(false);
                if (count > 0)
                {
                    stream = new PrefixedStream(stream, head, offset, count); // the first frames came with the response
                }

                var ws = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
                {
                    IsServer = false,
                    SubProtocol = subProtocol,
                    KeepAliveInterval = options.KeepAliveInterval,
                    KeepAliveTimeout = options.KeepAliveTimeout,
                });
                return new WebSocketConnection(ws);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        throw new WebSocketException(WebSocketError.Faulted, $"could not connect to {uri.Authority}", last);
    }

    /// <summary>A loop connect as a Task that completes inline in its callback (on the loop thread).</summary>
    private static Task ConnectTcp(Loop loop, Tcp tcp, EndPoint remote, CancellationToken token)
    {
        var done = new TaskCompletionSource();
        var c = new Completion();
        var registration = token.UnsafeRegister(static s =>
        {
            var (l, op) = ((Loop, Completion))s!;
            l.Post(new Completion(), op, static (target, l2, _, in _) =>
            {
                l2.Cancel(target);
                return CallbackAction.Disarm;
            });
        }, (loop, c));
        tcp.Connect(loop, c, remote, done, (t, _, _, in r) =>
        {
            registration.Unregister();
            if (r.IsSuccess)
            {
                t.SetResult();
            }
            else if (r.IsCanceled || r.IsTimedOut)
            {
                t.SetCanceled(token);
            }
            else
            {
                t.SetException(new SocketException((int)r.SocketError));
            }

            return CallbackAction.Disarm;
        });
        return done.Task;
    }

    /// <summary>Sends the upgrade request and checks the response; returns the buffer holding what followed the response head.</summary>
    private static async Task<(byte[] Buffer, int Offset, int Count, string? SubProtocol)> Upgrade(Stream stream, Uri uri, LoopWebSocketOptions options, CancellationToken token)
    {
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = new StringBuilder();
        request.Append("GET ").Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n");
        request.Append("Host: ").Append(uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}").Append("\r\n");
        request.Append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n");
        request.Append("Sec-WebSocket-Key: ").Append(key).Append("\r\n");
        if (options.SubProtocols.Count > 0)
        {
            request.Append("Sec-WebSocket-Protocol: ").Append(string.Join(", ", options.SubProtocols)).Append("\r\n");
        }

        foreach (var (name, value) in options.Headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), token).ConfigureAwait(false);

        var buffer = new byte[MaxResponseHead];
        int filled = 0;
        int end;
        while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (filled == buffer.Length)
            {
                throw new WebSocketException(WebSocketError.HeaderError, $"the upgrade response's head exceeds {MaxResponseHead} bytes");
            }

            int n = await stream.ReadAsync(buffer.AsMemory(filled), token).ConfigureAwait(false);
            if (n == 0)
            {
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "the server closed the connection during the upgrade");
            }

            filled += n;
        }

        var lines = Encoding.ASCII.GetString(buffer, 0, end).Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || status[1] != "101")
        {
            throw new WebSocketException(WebSocketError.NotAWebSocket, $"the server answered '{lines[0]}' instead of 101 Switching Protocols");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.AsSpan(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        if (!headers.TryGetValue("Upgrade", out var upgrade) || !upgrade.Equals("websocket", StringComparison.OrdinalIgnoreCase)
            || !headers.TryGetValue("Connection", out var connection) || !connection.Contains("upgrade", StringComparison.OrdinalIgnoreCase))
        {
            throw new WebSocketException(WebSocketError.HeaderError, "the 101 response lacks 'Upgrade: websocket' or 'Connection: Upgrade'");
        }

        string expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
        if (!headers.TryGetValue("Sec-WebSocket-Accept", out var accept) || accept != expected)
        {
            throw new WebSocketException(WebSocketError.HeaderError, "Sec-WebSocket-Accept does not match the request's key");
        }

        string? subProtocol = headers.TryGetValue("Sec-WebSocket-Protocol", out var sp) ? sp : null;
        if (subProtocol is not null && !options.SubProtocols.Contains(subProtocol))
        {
            throw new WebSocketException(WebSocketError.UnsupportedProtocol, $"the server chose the sub-protocol '{subProtocol}', which was not offered");
        }

        return (buffer, end + 4, filled - end - 4, subProtocol);
    }
}
