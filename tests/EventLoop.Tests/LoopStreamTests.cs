using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using EventLoop.Net;

namespace EventLoop.Tests;

/// <summary>
/// <see cref="LoopStream"/>'s receive buffer and inline (non-blocking) reads and writes, on each backend: a WebSocket
/// made by <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/> over a loop stream on one end
/// of a TCP pair, the raw frames (made by the BCL's own server-side WebSocket) written on the other end with blocking
/// socket calls, so the test decides how the bytes arrive: all at once, or a few per receive.
/// </summary>
public sealed class LoopStreamTests
{
    public static TheoryData<LoopBackend> Backends() => LoopWebSocketTests.Backends();

    public static TheoryData<LoopBackend, int> BackendsAndBufferSizes()
    {
        var data = new TheoryData<LoopBackend, int>();
        foreach (var b in Available())
        {
            data.Add(b, LoopStream.DefaultReceiveBufferSize);
            data.Add(b, 100); // most frames straddle two fills, payloads over 100 bytes are read directly
        }

        return data;
    }

    /// <summary>The backends this machine accepts.</summary>
    internal static List<LoopBackend> Available()
    {
        var list = new List<LoopBackend>();
        foreach (var b in new[] { LoopBackend.IoUring, LoopBackend.Epoll, LoopBackend.Runtime })
        {
            try
            {
                using var loop = new Loop(new LoopOptions { Backend = b });
                list.Add(b);
            }
            catch (NotSupportedException)
            {
                // refused here (the contract tests say why)
            }
        }

        return list;
    }

    [Theory]
    [MemberData(nameof(BackendsAndBufferSizes))]
    public void Messages_that_arrive_together_are_read_from_the_buffer_across_frame_boundaries(LoopBackend backend, int bufferSize)
    {
        using var loop = new Loop(new LoopOptions { Backend = backend });
        using var pair = new TcpPair();
        var expected = Enumerable.Range(0, 200).Select(i => $"{i}:" + new string((char)('a' + (i % 26)), i * 37 % 300)).ToArray();
        var frames = ServerFrames(expected.Select(Encoding.UTF8.GetBytes), close: false);
        Assert.True(frames.Length > LoopStream.DefaultReceiveBufferSize); // more than one fill even of the default buffer
        pair.Server.Socket.Send(frames); // all of it sits in the client's socket before the first read

        var stream = new LoopStream(loop, pair.Client, bufferSize);
        var r = new Reader(stream, expected.Length);
        r.Start(loop);
        loop.Run(RunMode.UntilDone);
        Assert.Null(r.Error);
        Assert.Equal(expected, r.Texts);
        // The WebSocket asks for a header, then a payload: ~400 reads. Before the buffer each was a loop receive.
        Assert.True(stream.SyncReads >= expected.Length, $"only {stream.SyncReads} reads were served without a loop round");
        Assert.True(stream.LoopReads <= 4, $"{stream.LoopReads} reads went round the loop although the socket held every byte");
        r.Connection.Dispose();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_frame_split_over_many_receives_is_put_back_together(LoopBackend backend)
    {
        using var loop = new Loop(new LoopOptions { Backend = backend });
        using var pair = new TcpPair();
        var payload = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        var frames = ServerFrames([payload], close: false, WebSocketMessageType.Binary);
        var stream = new LoopStream(loop, pair.Client);
        var r = new Reader(stream, 1, WebSocketMessageType.Binary);
        r.Start(loop); // the first read finds nothing (inline recv: would block) and arms a loop receive

        const int Chunk = 50;
        int chunks = 0;
        for (int at = 0; at < frames.Length; at += Chunk, chunks++)
        {
            pair.Server.Socket.Send(frames.AsSpan(at, Math.Min(Chunk, frames.Length - at)));
            loop.Run(RunMode.Once); // the pending receive takes this chunk; the next read finds the socket empty again
        }

        loop.Run(RunMode.UntilDone);
        Assert.Null(r.Error);
        Assert.Equal(payload, r.Binaries.Single());
        Assert.True(stream.LoopReads >= chunks / 2, $"{stream.LoopReads} loop receives for {chunks} chunks: the frame was not split as sent");
        r.Connection.Dispose();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Messages_buffered_before_a_close_frame_and_the_peers_FIN_are_all_delivered_then_the_close(LoopBackend backend)
    {
        using var loop = new Loop(new LoopOptions { Backend = backend });
        using var pair = new TcpPair();
        // Larger than the WebSocket's own small header buffer, so that what it has not asked for yet stays in ours.
        string[] expected = ["one".PadRight(3000, '1'), "two".PadRight(3000, '2'), "three".PadRight(3000, '3')];
        pair.Server.Socket.Send(ServerFrames(expected.Select(Encoding.UTF8.GetBytes), close: true));
        pair.Server.Socket.Shutdown(SocketShutdown.Send); // FIN right behind the close frame

        var stream = new LoopStream(loop, pair.Client);
        var r = new Reader(stream, int.MaxValue);
        r.Start(loop);
        loop.Run(RunMode.UntilDone);
        Assert.Null(r.Error);
        Assert.Equal(expected, r.Texts);
        Assert.True(r.BufferedAfterFirst > 0, "the later messages and the close frame were not already in the buffer");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, r.CloseStatus);
        r.Connection.Dispose();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Dispose_drops_what_is_buffered_and_later_reads_fail(LoopBackend backend)
    {
        using var loop = new Loop(new LoopOptions { Backend = backend });
        using var pair = new TcpPair();
        pair.Server.Socket.Send(Enumerable.Range(0, 100).Select(i => (byte)i).ToArray());
        var stream = new LoopStream(loop, pair.Client);
        var first = new byte[10];
        int n = await ReadSomething(loop, stream, first);
        Assert.Equal(Enumerable.Range(0, n).Select(i => (byte)i), first.Take(n));
        Assert.Equal(100 - n, stream.Buffered); // the rest came with the same receive
        Assert.True(stream.Buffered > 0);
        var next = new byte[10];
        var fromBuffer = stream.ReadAsync(next);
        Assert.True(fromBuffer.IsCompletedSuccessfully); // served from the buffer: completes at once
        Assert.Equal(10, await fromBuffer);
        Assert.Equal(Enumerable.Range(n, 10).Select(i => (byte)i), next);

        stream.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stream.ReadAsync(next.AsMemory()).AsTask());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_write_the_socket_takes_whole_completes_without_a_loop_round_and_a_large_one_still_arrives_whole(LoopBackend backend)
    {
        using var loop = new Loop(new LoopOptions { Backend = backend });
        using var pair = new TcpPair();
        var stream = new LoopStream(loop, pair.Client);
        var small = Encoding.ASCII.GetBytes("inline");
        var write = stream.WriteAsync(small);
        Assert.True(write.IsCompletedSuccessfully); // the socket took it all at once
        await write;
        Assert.Equal(1, stream.SyncWrites);
        var got = new byte[small.Length];
        pair.Server.Socket.ReceiveTimeout = 10_000;
        Assert.Equal(small.Length, pair.Server.Socket.Receive(got));
        Assert.Equal(small, got);

        // More than the two sockets' buffers hold (loopback autotuning stays under ~10 MiB): the inline send takes what
        // fits, a loop send the rest once the peer starts reading.
        var large = new byte[32 << 20];
        new Random(17).NextBytes(large);
        var received = new byte[large.Length];
        var big = stream.WriteAsync(large);
        Assert.False(big.IsCompleted); // it waits on the loop for the socket to drain
        var reader = Task.Run(() =>
        {
            int filled = 0;
            while (filled < received.Length)
            {
                int k = pair.Server.Socket.Receive(received, filled, received.Length - filled, SocketFlags.None);
                Assert.True(k > 0);
                filled += k;
            }
        });
        var done = big.AsTask();
        while (!done.IsCompleted)
        {
            loop.Run(RunMode.Once);
        }

        await done;
        await reader;
        Assert.Equal(large, received);
        stream.Dispose();
    }

    /// <summary>One read on the loop: inline if the bytes are there, else through a loop receive run to its end.</summary>
    private static async Task<int> ReadSomething(Loop loop, LoopStream stream, byte[] into)
    {
        var read = stream.ReadAsync(into.AsMemory()).AsTask();
        while (!read.IsCompleted)
        {
            loop.Run(RunMode.Once);
        }

        return await read;
    }

    /// <summary>The bytes a server-side WebSocket writes for <paramref name="messages"/> (the BCL frames them), and a close frame.</summary>
    internal static byte[] ServerFrames(IEnumerable<byte[]> messages, bool close, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        var sink = new MemoryStream();
        using var ws = WebSocket.CreateFromStream(sink, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        foreach (var m in messages)
        {
            // A MemoryStream completes every write synchronously, so these tasks are already done.
            ws.SendAsync(m.AsMemory(), type, true, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        if (close)
        {
            ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).GetAwaiter().GetResult();
        }

        return sink.ToArray();
    }

    /// <summary>Receives messages on the loop with Rearm until <c>count</c> arrived or the peer closed.</summary>
    private sealed class Reader(LoopStream stream, int count, WebSocketMessageType expectedType = WebSocketMessageType.Text)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private readonly LoopStream _stream = stream;
        private readonly int _count = count;
        private readonly WebSocketMessageType _expectedType = expectedType;
        private int _filled;

        public WebSocketConnection Connection { get; } = new(WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero }));

        public List<string> Texts { get; } = [];

        public List<byte[]> Binaries { get; } = [];

        public Exception? Error { get; private set; }

        public WebSocketCloseStatus? CloseStatus { get; private set; }

        public int BufferedAfterFirst { get; private set; } = -1;

        public void Start(Loop loop) => Connection.Receive(loop, new Completion(), _buffer, this, OnMessage);

        private static CallbackAction OnMessage(Reader r, Loop loop, Completion c, in CompletionResult res)
        {
            if (res.Exception is not null)
            {
                r.Error = res.Exception;
                return CallbackAction.Disarm;
            }

            if (res.MessageType == WebSocketMessageType.Close)
            {
                r.CloseStatus = res.CloseStatus;
                return CallbackAction.Disarm;
            }

            r._filled = res.BytesTransferred; // one message per receive: the buffer is larger than any here
            Assert.True(res.EndOfMessage);
            if (res.MessageType != r._expectedType)
            {
                r.Error = new InvalidOperationException($"a {res.MessageType} message, {r._expectedType} expected");
                return CallbackAction.Disarm;
            }

            if (res.MessageType == WebSocketMessageType.Text)
            {
                r.Texts.Add(Encoding.UTF8.GetString(r._buffer, 0, r._filled));
            }
            else
            {
                r.Binaries.Add(r._buffer.AsSpan(0, r._filled).ToArray());
            }

            if (r.BufferedAfterFirst < 0)
            {
                r.BufferedAfterFirst = r._stream.Buffered;
            }

            return r.Texts.Count + r.Binaries.Count == r._count ? CallbackAction.Disarm : CallbackAction.Rearm;
        }
    }
}
