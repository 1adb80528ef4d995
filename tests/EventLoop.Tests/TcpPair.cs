using System.Net;
using System.Net.Sockets;
using EventLoop.Net;

namespace EventLoop.Tests;

/// <summary>A connected loopback pair made with blocking BCL calls (set-up only): <see cref="Client"/> and <see cref="Server"/>.</summary>
internal sealed class TcpPair : IDisposable
{
    public TcpPair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        Server = new Tcp(listener.Accept());
        Client = new Tcp(client);
    }

    public Tcp Client { get; }

    public Tcp Server { get; }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
