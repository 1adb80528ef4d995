using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using EventLoop.Net;

namespace EventLoop.Tests;

/// <summary>Queued writes: many sends while one is in flight, in order, bounded, faulting once.</summary>
public sealed class SendQueueTests(KestrelWebSocketServer server) : IClassFixture<KestrelWebSocketServer>
{
    [Fact]
    public void WebSocket_messages_enqueued_at_once_go_out_in_order_and_the_caller_may_reuse_its_buffer()
    {
        using var loop = new Loop();
        var p = new EchoProbe { Expected = 200 };
        WebSocketConnection.Connect(loop, new Completion(), new Uri(server.BaseUri, "echo"), null, TimeSpan.FromSeconds(30), p, static (pp, l, _, in r) =>
        {
            Assert.True(r.IsSuccess, r.Exception?.ToString());
            pp.Connection = r.WebSocket!;
            var queue = new WebSocketSendQueue(l, pp.Connection, maxMessages: 256);
            var scratch = new byte[16];
            for (int i = 0; i < pp.Expected; i++)
            {
                int n = Encoding.ASCII.GetBytes($"m{i}", scratch);
                queue.Enqueue(scratch.AsSpan(0, n)); // copied: the scratch buffer is overwritten right away
            }

            Assert.Equal(pp.Expected, queue.Count); // nothing could have been sent yet: all queued behind the first
            pp.Queue = queue;
            pp.Connection.Receive(l, new Completion(), pp.Buffer, pp, static (p2, _, _, in r2) =>
            {
                Assert.True(r2.HasMessage, r2.Exception?.ToString());
                p2.Received.Add(Encoding.ASCII.GetString(p2.Buffer, 0, r2.BytesTransferred));
                return p2.Received.Count < p2.Expected ? CallbackAction.Rearm : CallbackAction.Disarm;
            });
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(Enumerable.Range(0, p.Expected).Select(i => $"m{i}"), p.Received);
        Assert.Equal(p.Expected, p.Queue!.Sent);
        Assert.Equal(0, p.Queue.Count);
        p.Connection!.Dispose();
    }

    [Fact]
    public void A_full_queue_says_which_bound_was_hit_and_queues_nothing()
    {
        using var loop = new Loop();
        using var pair = new TcpPair();
        var byCount = new TcpSendQueue(loop, pair.Client, maxChunks: 3, maxBytes: 1000);
        byCount.Enqueue(new byte[10]);
        byCount.Enqueue(new byte[10]);
        byCount.Enqueue(new byte[10]);
        var e = Assert.Throws<InvalidOperationException>(() => byCount.Enqueue(new byte[10]));
        Assert.Contains("3 chunks", e.Message);
        Assert.False(byCount.TryEnqueue(new byte[1]));
        Assert.Equal(30, byCount.QueuedBytes);

        var byBytes = new TcpSendQueue(loop, pair.Server, maxChunks: 10, maxBytes: 100);
        byBytes.Enqueue(new byte[60]);
        e = Assert.Throws<InvalidOperationException>(() => byBytes.Enqueue(new byte[50]));
        Assert.Contains("100-byte bound", e.Message);
        loop.Run(RunMode.UntilDone);
        Assert.Equal(30, byCount.SentBytes);
        Assert.Equal(60, byBytes.SentBytes);
    }

    [Fact]
    public void Tcp_chunks_queued_while_one_is_in_flight_arrive_complete_and_in_order()
    {
        using var loop = new Loop();
        using var pair = new TcpPair();
        var queue = new TcpSendQueue(loop, pair.Client, maxChunks: 4096, maxBytes: 64 << 20);
        var expected = new MemoryStream();
        var chunk = new byte[1000];
        for (int i = 0; i < 2000; i++)
        {
            Array.Fill(chunk, (byte)i);
            queue.Enqueue(chunk);
            expected.Write(chunk);
        }

        var sink = new Sink(expected.Length);
        pair.Server.Receive(loop, new Completion(), sink.Buffer, sink, static (s, _, _, in r) =>
        {
            Assert.True(r.IsSuccess && r.BytesTransferred > 0);
            s.Received.Write(s.Buffer, 0, r.BytesTransferred);
            return s.Received.Length < s.Expected ? CallbackAction.Rearm : CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(expected.ToArray(), sink.Received.ToArray());
        Assert.Equal(expected.Length, queue.SentBytes);
    }

    [Fact]
    public void A_failed_send_faults_the_queue_once_drops_the_rest_and_refuses_more()
    {
        using var loop = new Loop();
        using var pair = new TcpPair();
        var faults = new List<Exception>();
        var queue = new TcpSendQueue(loop, pair.Client, onFault: (_, e) => faults.Add(e));
        pair.Client.Socket.Shutdown(SocketShutdown.Send); // every send now fails
        queue.Enqueue(new byte[8]);
        queue.Enqueue(new byte[8]);
        loop.Run(RunMode.UntilDone);
        Assert.Single(faults);
        Assert.IsType<SocketException>(queue.Fault);
        Assert.Equal(0, queue.Count);
        var e = Assert.Throws<InvalidOperationException>(() => queue.Enqueue(new byte[1]));
        Assert.Contains("faulted", e.Message);
    }

    private sealed class EchoProbe
    {
        public int Expected { get; init; }

        public WebSocketConnection? Connection { get; set; }

        public WebSocketSendQueue? Queue { get; set; }

        public byte[] Buffer { get; } = new byte[64];

        public List<string> Received { get; } = [];
    }

    private sealed class Sink(long expected)
    {
        public long Expected => expected;

        public byte[] Buffer { get; } = new byte[8192];

        public MemoryStream Received { get; } = new();
    }
}
