using System.Net;
using System.Net.Sockets;
using System.Text;
using EventLoop.Net;

namespace EventLoop.Tests;

public sealed class TcpRearmTests
{
    [Fact]
    public void Accept_rearm_accepts_the_next_connection()
    {
        using var loop = new Loop();
        using var listener = Listen();
        var state = new Probe();
        listener.Accept(loop, new Completion(), state, static (p, _, _, in r) =>
        {
            Assert.True(r.IsSuccess);
            p.Sockets.Add(r.Accepted!);
            return p.Sockets.Count < 3 ? CallbackAction.Rearm : CallbackAction.Disarm;
        });
        var clients = Enumerable.Range(0, 3).Select(_ => new Tcp()).ToList();
        foreach (var client in clients)
        {
            client.Connect(loop, new Completion(), listener.LocalEndPoint!, state, static (_, _, _, in r) =>
            {
                Assert.True(r.IsSuccess);
                return CallbackAction.Disarm;
            });
        }

        loop.Run(RunMode.UntilDone);
        Assert.Equal(3, state.Sockets.Count);
        state.Sockets.Concat(clients).ToList().ForEach(s => s.Dispose());
    }

    [Fact]
    public void Receive_rearm_receives_into_the_same_buffer_and_send_rearm_sends_the_same_bytes()
    {
        using var loop = new Loop();
        using var listener = Listen();
        var probe = new Probe();
        listener.Accept(loop, new Completion(), probe, static (p, l, _, in r) =>
        {
            var server = r.Accepted!;
            p.Sockets.Add(server);
            server.Receive(l, new Completion(), p.Buffer, p, static (p2, _, _, in r2) =>
            {
                Assert.True(r2.IsSuccess);
                if (r2.BytesTransferred == 0)
                {
                    return CallbackAction.Disarm; // end of stream
                }

                p2.Received.Append(Encoding.ASCII.GetString(p2.Buffer, 0, r2.BytesTransferred));
                p2.Receives++;
                return CallbackAction.Rearm;
            });
            return CallbackAction.Disarm;
        });

        var client = new Tcp();
        client.Connect(loop, new Completion(), listener.LocalEndPoint!, probe, (p, l, c, in r) =>
        {
            Assert.True(r.IsSuccess);
            client.Send(l, c, "ping"u8.ToArray(), p, static (p2, l2, _, in r2) =>
            {
                Assert.Equal(4, r2.BytesTransferred);
                if (++p2.Sends < 3)
                {
                    return CallbackAction.Rearm;
                }

                p2.Client!.Shutdown(l2, new Completion(), SocketShutdown.Send, p2, static (_, _, _, in r3) =>
                    {
                        Assert.True(r3.IsSuccess);
                        return CallbackAction.Disarm;
                    });
                return CallbackAction.Disarm;
            });
            return CallbackAction.Disarm;
        });
        probe.Client = client;
        loop.Run(RunMode.UntilDone);
        Assert.Equal(3, probe.Sends);
        Assert.Equal("pingpingping", probe.Received.ToString());
        Assert.InRange(probe.Receives, 1, 3); // TCP may coalesce the three sends
        client.Dispose();
        probe.Sockets.ForEach(s => s.Dispose());
    }

    [Fact]
    public void Connect_rearm_tries_again_after_a_refusal()
    {
        using var loop = new Loop();
        // Bound and never listening, and held for the whole test: the connect is refused, and neither another
        // process nor the client's own ephemeral port (a TCP self-connect) can take the port meanwhile.
        using var probeSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probeSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)probeSocket.LocalEndPoint!).Port;

        var probe = new Probe();
        using var client = new Tcp();
        client.Connect(loop, new Completion(), new IPEndPoint(IPAddress.Loopback, port), probe, static (p, _, _, in r) =>
        {
            Assert.False(r.IsSuccess);
            return ++p.Sends < 2 ? CallbackAction.Rearm : CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(2, probe.Sends);
    }

    [Fact]
    public void Shutdown_and_close_rearm_run_again_and_close_aborts_a_pending_receive()
    {
        using var loop = new Loop();
        using var listener = Listen();
        var probe = new Probe();
        listener.Accept(loop, new Completion(), probe, static (p, _, _, in r) =>
        {
            p.Sockets.Add(r.Accepted!);
            return CallbackAction.Disarm;
        });
        var client = new Tcp();
        client.Connect(loop, new Completion(), listener.LocalEndPoint!, probe, static (_, _, _, in _) => CallbackAction.Disarm);
        loop.Run(RunMode.UntilDone);

        client.Receive(loop, new Completion(), probe.Buffer, probe, static (p, _, _, in r) =>
        {
            p.Aborted = r.SocketError;
            return CallbackAction.Disarm;
        });
        client.Shutdown(loop, new Completion(), SocketShutdown.Send, probe, static (p, _, _, in r) =>
        {
            Assert.Equal(Operation.Shutdown, r.Operation);
            return ++p.Sends < 2 ? CallbackAction.Rearm : CallbackAction.Disarm;
        });
        client.Close(loop, new Completion(), probe, static (p, _, _, in r) =>
        {
            Assert.True(r.IsSuccess);
            return ++p.Receives < 2 ? CallbackAction.Rearm : CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(2, probe.Sends);
        Assert.Equal(2, probe.Receives);
        Assert.Equal(SocketError.OperationAborted, probe.Aborted);
        probe.Sockets.ForEach(s => s.Dispose());
    }

    private static Tcp Listen()
    {
        var t = new Tcp();
        t.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        t.Listen();
        return t;
    }

    private sealed class Probe
    {
        public List<Tcp> Sockets { get; } = [];

        public byte[] Buffer { get; } = new byte[64];

        public StringBuilder Received { get; } = new();

        public int Receives { get; set; }

        public int Sends { get; set; }

        public Tcp? Client { get; set; }

        public SocketError Aborted { get; set; }
    }
}
