using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventLoop.Tests;

/// <summary>
/// A Kestrel HTTPS server on 127.0.0.1 with a self-signed certificate made here with <see cref="CertificateRequest"/>
/// (never installed anywhere): /echo echoes WebSocket messages, /flood pushes many (<see cref="FloodEndpoint"/>). Clients pin <see cref="Certificate"/> in their own
/// validation callback; nothing disables validation globally.
/// </summary>
public sealed class KestrelTlsServer : IAsyncLifetime
{
    private WebApplication? _app;

    public X509Certificate2 Certificate { get; private set; } = null!;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>A validation callback that accepts exactly <see cref="Certificate"/> (by its SHA-256 hash) and nothing else.</summary>
    public System.Net.Security.RemoteCertificateValidationCallback Pinned
    {
        get
        {
            string pinned = Certificate.GetCertHashString(HashAlgorithmName.SHA256);
            return (_, cert, _, _) => cert is not null && cert.GetCertHashString(HashAlgorithmName.SHA256) == pinned;
        }
    }

    public static X509Certificate2 CreateSelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), password: null);
    }

    public async Task InitializeAsync()
    {
        Certificate = CreateSelfSigned("quant-loop-test");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.UseHttps(Certificate)));
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/echo", Echo);
        app.Map("/flood", FloodEndpoint.Handle);
        await app.StartAsync();
        _app = app;
        var https = new Uri(app.Urls.First());
        BaseUri = new Uri($"wss://127.0.0.1:{https.Port}/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Certificate.Dispose();
    }

    private static async Task Echo(HttpContext ctx)
    {
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            await ws.SendAsync(buffer.AsMemory(0, r.Count), r.MessageType, r.EndOfMessage, CancellationToken.None);
        }
    }
}
