using System.Net.WebSockets;
using System.Text;
using EventLoop.Net;

namespace EventLoop.Tests;

/// <summary>What a venue client needs: headers and sub-protocols, wss:// with a pinned certificate, failures that are not messages, keep-alive.</summary>
public sealed class WebSocketVenueTests(KestrelWebSocketServer server, KestrelTlsServer tls)
    : IClassFixture<KestrelWebSocketServer>, IClassFixture<KestrelTlsServer>
{
    [Fact]
    public void Request_headers_and_sub_protocols_reach_the_server()
    {
        using var loop = new Loop();
        var p = new Probe();
        WebSocketConnection.Connect(loop, new Completion(), new Uri(server.BaseUri, "hello"), o =>
        {
            o.SetRequestHeader("X-Api-Key", "test-key-123");
            o.AddSubProtocol("quant.v1");
        }, TimeSpan.FromSeconds(30), p, Probe.OnConnectThenReceive);
        loop.Run(RunMode.UntilDone);
        Assert.Null(p.Error);
        Assert.Equal(["key=test-key-123 protocol=quant.v1"], p.Messages);
        Assert.Equal("quant.v1", p.Connection!.WebSocket.SubProtocol);
        p.Connection.Dispose();
    }

    [Fact]
    public void Wss_to_kestrel_with_a_self_signed_certificate_pinned_by_the_validation_callback()
    {
        using var loop = new Loop();
        var p = new Probe { Send = "over tls" };
        WebSocketConnection.Connect(loop, new Completion(), new Uri(tls.BaseUri, "echo"), o => o.RemoteCertificateValidationCallback = tls.Pinned,
            TimeSpan.FromSeconds(30), p, Probe.OnConnectThenReceive);
        loop.Run(RunMode.UntilDone);
        Assert.Null(p.Error);
        Assert.Equal(["over tls"], p.Messages);
        p.Connection!.Dispose();
    }

    [Fact]
    public void Wss_fails_with_default_validation_and_with_a_callback_pinned_to_another_certificate()
    {
        using var other = KestrelTlsServer.CreateSelfSigned("someone-else");
        string otherHash = other.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var loop = new Loop();
        var unpinned = new Probe();
        var wrongPin = new Probe();
        WebSocketConnection.Connect(loop, new Completion(), new Uri(tls.BaseUri, "echo"), null, TimeSpan.FromSeconds(30), unpinned, Probe.OnConnectThenReceive);
        WebSocketConnection.Connect(loop, new Completion(), new Uri(tls.BaseUri, "echo"),
            o => o.RemoteCertificateValidationCallback = (_, c, _, _) => c?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256) == otherHash,
            TimeSpan.FromSeconds(30), wrongPin, Probe.OnConnectThenReceive);
        loop.Run(RunMode.UntilDone);
        Assert.IsType<WebSocketException>(unpinned.Error);
        Assert.IsType<WebSocketException>(wrongPin.Error);
        Assert.Null(unpinned.Connection);
    }

    [Fact]
    public void An_abrupt_disconnect_is_a_failed_receive_never_a_Text_message()
    {
        using var loop = new Loop();
        var p = new Probe { Send = "go" };
        WebSocketConnection.Connect(loop, new Completion(), new Uri(server.BaseUri, "abort"), null, TimeSpan.FromSeconds(30), p, Probe.OnConnectThenReceive);
        loop.Run(RunMode.UntilDone);
        Assert.NotNull(p.Connection); // connected, then dropped
        Assert.Empty(p.Messages);
        Assert.IsType<WebSocketException>(p.Error);
        Assert.False(p.LastHadMessage);
        Assert.IsType<InvalidOperationException>(p.MessageTypeError);
        p.Connection!.Dispose();
    }

    [Fact]
    public void The_runtime_keep_alive_aborts_a_connection_whose_peer_stops_answering_pings()
    {
        // /silent never reads, so it never answers a PING with a PONG: the client's KeepAliveTimeout must end the receive.
        using var loop = new Loop();
        var p = new Probe();
        WebSocketConnection.Connect(loop, new Completion(), new Uri(server.BaseUri, "silent"), o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(50);
            o.KeepAliveTimeout = TimeSpan.FromMilliseconds(100);
        }, TimeSpan.FromSeconds(30), p, Probe.OnConnectThenReceive);
        loop.Run(RunMode.UntilDone); // without a PONG timeout this receive would wait forever
        Assert.Empty(p.Messages);
        Assert.NotNull(p.Error);
        Assert.Equal(WebSocketState.Aborted, p.Connection!.WebSocket.State);
        p.Connection.Dispose();
    }

    private sealed class Probe
    {
        public string? Send { get; init; }

        public WebSocketConnection? Connection { get; private set; }

        public byte[] Buffer { get; } = new byte[256];

        public List<string> Messages { get; } = [];

        public Exception? Error { get; private set; }

        public bool LastHadMessage { get; private set; }

        public Exception? MessageTypeError { get; private set; }

        public static CallbackAction OnConnectThenReceive(Probe p, Loop loop, Completion c, in CompletionResult r)
        {
            if (!r.IsSuccess)
            {
                p.Error = r.Exception;
                return CallbackAction.Disarm;
            }

            p.Connection = r.WebSocket!;
            if (p.Send is not null)
            {
                p.Connection.Send(loop, new Completion(), Encoding.UTF8.GetBytes(p.Send), WebSocketMessageType.Text, p, static (_, _, _, in _) => CallbackAction.Disarm);
            }

            p.Connection.Receive(loop, c, p.Buffer, p, static (pp, l, cc, in rr) =>
            {
                pp.LastHadMessage = rr.HasMessage;
                if (!rr.IsSuccess)
                {
                    pp.Error = rr.Exception;
                    var copy = rr;
                    pp.MessageTypeError = Record.Exception(() => copy.MessageType);
                    return CallbackAction.Disarm;
                }

                if (rr.MessageType == WebSocketMessageType.Close)
                {
                    pp.Connection!.Close(l, cc, WebSocketCloseStatus.NormalClosure, null, TimeSpan.FromSeconds(10), pp, static (_, _, _, in _) => CallbackAction.Disarm);
                    return CallbackAction.Disarm;
                }

                pp.Messages.Add(Encoding.UTF8.GetString(pp.Buffer, 0, rr.BytesTransferred));
                if (pp.Send is not null)
                {
                    pp.Connection!.Close(l, cc, WebSocketCloseStatus.NormalClosure, null, TimeSpan.FromSeconds(10), pp, static (_, _, _, in _) => CallbackAction.Disarm);
                    return CallbackAction.Disarm;
                }

                return CallbackAction.Rearm;
            });
            return CallbackAction.Disarm;
        }
    }
}
