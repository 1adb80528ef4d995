using System.Net.Sockets;
using System.Text;
using EventLoop.Backends;
using EventLoop.Net;

namespace EventLoop.Tests.Backends;

/// <summary>
/// What the io_uring backend does beyond the shared contract: sends tried inline, the per-socket multishot receive
/// (data kept between receives, a canceled receive only detaching, the buffer ring running dry, end of stream), the
/// setup probe's fallback and the disposal of a loop with receives still armed. Peers are blocking BCL sockets.
/// </summary>
[ContractBackend(LoopBackend.IoUring)]
public sealed class IoUringBackendTests
{
    [BackendFact]
    public void A_send_with_room_completes_inline_but_its_callback_runs_on_a_later_tick()
    {
        using var loop = new Loop(new LoopOptions { Backend = LoopBackend.IoUring });
        using var pair = new TcpPair();
        loop.Run(RunMode.NoWait); // submits the wake-up READ queued at set-up: with an SQE waiting, a send would join it
        var results = new List<CompletionResult>();
        var tx = new Completion();
        pair.Client.Send(loop, tx, "inline"u8.ToArray(), results, static (list, _, _, in r) =>
        {
            list.Add(r);
            return CallbackAction.Disarm;
        });

        Assert.Empty(results); // never inside the call that submitted it
        Assert.False(((UringOp)tx.IoOp!).InFlight); // done already: nothing went to the ring
        var buffer = new byte[16];
        Assert.Equal("inline", Encoding.ASCII.GetString(buffer, 0, pair.Server.Socket.Receive(buffer)));
        loop.Run(RunMode.NoWait);
        var result = Assert.Single(results);
        Assert.True(result.IsSuccess);
        Assert.Equal(6, result.BytesTransferred);
    }

    [BackendFact]
    public void A_send_to_a_socket_with_no_room_goes_on_in_the_ring_until_every_byte_is_out()
    {
        using var loop = new Loop(new LoopOptions { Backend = LoopBackend.IoUring });
        using var pair = new TcpPair();
        var data = new byte[8 << 20];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i * 7);
        }

        var results = new List<CompletionResult>();
        var tx = new Completion();
        pair.Client.Send(loop, tx, data, results, static (list, _, _, in r) =>
        {
            list.Add(r);
            return CallbackAction.Disarm;
        });
        Assert.True(((UringOp)tx.IoOp!).InFlight); // 8 MB do not fit a loopback socket's buffers: the rest is an SQE

        var received = new byte[data.Length];
        var reader = new Thread(() =>
        {
            int n = 0;
            while (n < received.Length)
            {
                n += pair.Server.Socket.Receive(received, n, received.Length - n, SocketFlags.None);
            }
        });
        reader.Start();
        loop.Run(RunMode.UntilDone);
        reader.Join();
        Assert.Equal(data.Length, Assert.Single(results).BytesTransferred);
        Assert.Equal(data, received);
    }

    [BackendFact]
    public void Data_that_arrives_between_receives_waits_for_the_next_one_and_no_buffer_is_lost()
    {
        using var loop = new Loop(new LoopOptions { Backend = LoopBackend.IoUring });
        using var pair = new TcpPair();
        var r = new Reader(64);
        pair.Client.Socket.Send("first"u8);
        pair.Server.Receive(loop, r.Op, r.Buffer, r, Reader.OnReceive);
        loop.Run(RunMode.UntilDone);
        Assert.Equal("first", r.Text);

        // No receive is waiting now, but the socket's multishot is armed: these land in the ring's buffers.
        pair.Client.Socket.Send("second"u8);
        pair.Client.Socket.Send("third"u8);
        // Tick (a 1 ms periodic timer makes each Run(Once) return) until both chunks sit in the ring's buffers.
        var backend = (IoUringBackend)loop.IoBackend;
        var tick = new Completion();
        loop.Timer(tick, TimeSpan.FromMilliseconds(1), r, static (_, _, _, in _) => CallbackAction.Rearm);
        for (int i = 0; i < 10_000 && backend.Buffers!.Outstanding < 2; i++)
        {
            loop.Run(RunMode.Once);
        }

        Assert.Equal(2, backend.Buffers!.Outstanding); // held for the next receive, one per arrival
        Assert.True(loop.Cancel(tick));
        loop.Run(RunMode.UntilDone);

        pair.Server.Receive(loop, r.Op, r.Buffer, r, Reader.OnReceive);
        loop.Run(RunMode.UntilDone);
        Assert.Equal("firstsecondthird", r.Text); // both chunks copied out by one receive
        Assert.Equal(2, r.Receives);
        Assert.Equal(0, backend.Buffers.Outstanding);
    }

    [BackendFact]
    public void A_loop_stream_takes_what_the_multishot_holds_first_and_without_a_loop_round()
    {
        using var loop = new Loop(new LoopOptions { Backend = LoopBackend.IoUring });
        using var pair = new TcpPair();
        var stream = new LoopStream(loop, pair.Server);
        var buffer = new byte[64];
        var first = stream.ReadAsync(buffer); // nothing there: a loop receive, which arms the socket's multishot
        Assert.False(first.IsCompleted);
        pair.Client.Socket.Send("first"u8);
        loop.Run(RunMode.UntilDone);
        Assert.True(first.IsCompletedSuccessfully);
        Assert.Equal("first", Encoding.ASCII.GetString(buffer, 0, first.Result));

        // No read is waiting, the multishot is armed: these land in the ring's buffers, not in the socket.
        pair.Client.Socket.Send("second"u8);
        pair.Client.Socket.Send("third"u8);
        var backend = (IoUringBackend)loop.IoBackend;
        var tick = new Completion();
        loop.Timer(tick, TimeSpan.FromMilliseconds(1), stream, static (_, _, _, in _) => CallbackAction.Rearm);
        for (int i = 0; i < 10_000 && backend.Buffers!.Outstanding < 2; i++)
        {
            loop.Run(RunMode.Once);
        }

        Assert.True(loop.Cancel(tick));
        loop.Run(RunMode.UntilDone);
        Assert.Equal(2, backend.Buffers!.Outstanding);

        // A recv(2) on the descriptor would find nothing (or, racing the kernel, later bytes first); the stream
        // takes the multishot's chunks instead, at once.
        long loopReads = stream.LoopReads;
        var next = stream.ReadAsync(buffer);
        Assert.True(next.IsCompletedSuccessfully);
        Assert.Equal("secondthird", Encoding.ASCII.GetString(buffer, 0, next.Result));
        Assert.Equal(loopReads, stream.LoopReads);
        Assert.Equal(0, backend.Buffers.Outstanding);

        var last = stream.ReadAsync(buffer); // nothing held: waits on the multishot
        Assert.False(last.IsCompleted);
        pair.Client.Socket.Send("fourth"u8);
        loop.Run(RunMode.UntilDone);
        Assert.Equal("fourth", Encoding.ASCII.GetString(buffer, 0, last.Result));
        stream.Dispose();
    }

    [BackendFact]
    public void A_loop_stream_read_runs_the_multishot_work_the_kernel_left_for_the_loop_thread()
        => ReadAfterALateArrival(runPending: true);

    [BackendFact]
    public void Without_running_it_a_loop_stream_read_after_a_late_arrival_waits_for_a_loop_round()
        => ReadAfterALateArrival(runPending: false);

    private static void ReadAfterALateArrival(bool runPending)
    {
        using var loop = new Loop(new LoopOptions { Backend = LoopBackend.IoUring, IoUringRunPendingOnRead = runPending });
        using var pair = new TcpPair();
        var stream = new LoopStream(loop, pair.Server);
        var buffer = new byte[64];
        var first = stream.ReadAsync(buffer); // arms the socket's multishot
        pair.Client.Socket.Send("first"u8);
        loop.Run(RunMode.UntilDone);
        Assert.Equal("first", Encoding.ASCII.GetString(buffer, 0, first.Result));

        // Sent from another thread while this one makes no system call: the kernel queues the multishot's recv as
        // completion work for this thread (COOP_TASKRUN, flagged in the SQ ring) and runs it only when this thread
        // enters it. The read runs it itself instead of arming a loop receive. (A timer interrupt may run the work
        // first, which this test cannot tell apart: it then passes either way.)
        int sent = 0;
        var sender = new Thread(() =>
        {
            pair.Client.Socket.Send("late"u8);
            Volatile.Write(ref sent, 1);
        });
        sender.Start();
        while (Volatile.Read(ref sent) == 0)
        {
            Thread.SpinWait(1);
        }

        long loopReads = stream.LoopReads;
        var next = stream.ReadAsync(buffer);
        if (!runPending)
        {
            // Off: the multishot's CQE is reaped only at the next tick, so the read waits for a loop round.
            Assert.False(next.IsCompleted);
            loop.Run(RunMode.UntilDone);
            Assert.Equal(loopReads + 1, stream.LoopReads);
        }
        else
        {
            Assert.True(next.IsCompletedSuccessfully);
            Assert.Equal(loopReads, stream.LoopReads);
        }

        Assert.Equal("late", Encoding.ASCII.GetString(buffer, 0, next.Result));
        sender.Join();
        stream.Dispose();
    }

    [BackendFact]
    public void A_canceled_receive_only_detaches_and_what_arrives_next_goes_to_the_next_receive()
    {
        using var loop = new Loop(new LoopOptions { Backend = LoopBackend.IoUring });
        using var pair = new TcpPair();
        var r = new Reader(64);
        pair.Server.Receive(loop, r.Op, r.Buffer, r, Reader.OnReceive);
        loop.Run(RunMode.NoWait); // armed
        Assert.True(loop.Cancel(r.Op));
        Assert.False(loop.Cancel(r.Op)); // a cancel is already pending
        loop.Run(RunMode.UntilDone);
        Assert.True(r.LastCanceled);
        Assert.Equal(0, loop.ActiveCount);

        pair.Client.Socket.Send("after"u8);
        pair.Server.Receive(loop, r.Op, r.Buffer, r, Reader.OnReceive);
        loop.Run(RunMode.UntilDone);
        Assert.False(r.LastCanceled);
        Assert.Equal("after", r.Text);
    }

    [BackendFact]
    public void A_multishot_receive_across_buffer_ring_exhaustion_keeps_every_byte_in_order()
    {
        // 2 buffers of 16 bytes against 100 kB sent at once: the multishot runs the ring dry again and again (ENOBUFS),
        // receives fall back to one-shot RECVs and the multishot is armed again.
        using var loop = new Loop(new LoopOptions { Backend = LoopBackend.IoUring, IoUringReceiveBuffers = 2, IoUringReceiveBufferSize = 16 });
        using var pair = new TcpPair();
        var data = new byte[100_000];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)((i * 31) ^ (i >> 8));
        }

        var r = new Reader(7, data.Length);
        pair.Server.Receive(loop, r.Op, r.Buffer, r, Reader.OnReceive);
        loop.Run(RunMode.NoWait);
        pair.Client.Socket.Send(data);
        loop.Run(RunMode.UntilDone);
        Assert.Null(r.Error);
        Assert.Equal(data, r.Bytes.ToArray());
        var backend = (IoUringBackend)loop.IoBackend;
        Assert.Null(backend.MultishotRefusal);
        Assert.True(backend.OneShotFallbacks > 0); // the ring did run dry
        Assert.Equal(0, backend.Buffers!.Outstanding);
    }

    [BackendFact]
    public void End_of_stream_comes_after_the_data_before_it_and_stays()
    {
        using var loop = new Loop(new LoopOptions { Backend = LoopBackend.IoUring });
        using var pair = new TcpPair();
        var r = new Reader(64);
        pair.Server.Receive(loop, r.Op, r.Buffer, r, Reader.OnReceive);
        loop.Run(RunMode.NoWait);
        pair.Client.Socket.Send("tail"u8);
        pair.Client.Socket.Shutdown(SocketShutdown.Send);
        loop.Run(RunMode.UntilDone);
        Assert.Equal("tail", r.Text);
        for (int i = 0; i < 2; i++)
        {
            pair.Server.Receive(loop, r.Op, r.Buffer, r, Reader.OnReceive);
            loop.Run(RunMode.UntilDone);
            Assert.True(r.LastSuccess);
            Assert.Equal(0, r.LastBytes);
        }
    }

    [BackendFact]
    public void The_setup_probe_falls_back_to_a_plain_ring_when_the_kernel_refuses_COOP_TASKRUN()
    {
        using var refused = new Loop(new LoopOptions { Backend = LoopBackend.IoUring, IoUringRefusedSetupFlags = IoUringAbi.SetupCoopTaskrun });
        Assert.Equal(LoopBackend.IoUring, refused.Backend);
        Assert.Equal(0u, ((IoUringBackend)refused.IoBackend).SetupFlags & (IoUringAbi.SetupCoopTaskrun | IoUringAbi.SetupTaskrunFlag));
        var echo = new EchoHarness(5);
        echo.Start(refused);
        refused.Run(RunMode.UntilDone);
        Assert.Empty(echo.Errors);
        Assert.Equal(5 * EchoHarness.RoundTrips, echo.Verified);

        using var preferred = new Loop(new LoopOptions { Backend = LoopBackend.IoUring });
        Assert.NotEqual(0u, ((IoUringBackend)preferred.IoBackend).SetupFlags & IoUringAbi.SetupCoopTaskrun); // Linux 5.19+ here
    }

    [BackendFact]
    public void A_defer_taskrun_ring_echoes_and_a_close_with_the_multishot_armed_reaches_the_peer()
    {
        using var loop = new Loop(new LoopOptions { Backend = LoopBackend.IoUring, IoUringDeferTaskrun = true });
        Assert.NotEqual(0u, ((IoUringBackend)loop.IoBackend).SetupFlags & IoUringAbi.SetupDeferTaskrun); // Linux 6.1+ here
        var echo = new EchoHarness(5);
        echo.Start(loop);
        loop.Run(RunMode.UntilDone);
        Assert.Empty(echo.Errors);
        Assert.Equal(5 * EchoHarness.RoundTrips, echo.Verified);

        // The canceled multishot must let go of the socket at once (its cancel runs only in an enter with GETEVENTS),
        // else the close sends no FIN and the peer waits for the end of the stream forever.
        using var pair = new TcpPair();
        var r = new Reader(64);
        pair.Server.Receive(loop, r.Op, r.Buffer, r, Reader.OnReceive);
        pair.Client.Socket.Send("last"u8);
        loop.Run(RunMode.UntilDone);
        Assert.Equal("last", r.Text);
        Assert.Equal(1, ((IoUringBackend)loop.IoBackend).LiveStreams); // armed, nobody receiving
        pair.Server.Dispose();
        pair.Client.Socket.ReceiveTimeout = 30_000; // a guard against a hang, not a timing assertion
        Assert.Equal(0, pair.Client.Socket.Receive(new byte[8]));
    }

    [BackendFact]
    public void Disposing_a_loop_with_a_receive_still_armed_ends_its_multishot()
    {
        var loop = new Loop(new LoopOptions { Backend = LoopBackend.IoUring });
        using var pair = new TcpPair();
        var r = new Reader(64);
        pair.Server.Receive(loop, r.Op, r.Buffer, r, Reader.OnReceive);
        loop.Run(RunMode.NoWait);
        var backend = (IoUringBackend)loop.IoBackend;
        Assert.Equal(1, backend.LiveStreams);
        loop.Dispose();
        Assert.Equal(0, backend.LiveStreams); // seen ending: its buffer ring could be freed
    }

    private sealed class Reader(int bufferSize, int until = 0)
    {
        public Completion Op { get; } = new();

        public int Until { get; } = until;

        public byte[] Buffer { get; } = new byte[bufferSize];

        public List<byte> Bytes { get; } = [];

        public string Text => Encoding.ASCII.GetString(Bytes.ToArray());

        public int Receives { get; private set; }

        public bool LastCanceled { get; private set; }

        public bool LastSuccess { get; private set; }

        public int LastBytes { get; private set; }

        public SocketError? Error { get; private set; }

        public static CallbackAction OnReceive(Reader s, Loop loop, Completion c, in CompletionResult r)
        {
            s.LastCanceled = r.IsCanceled;
            s.LastSuccess = r.IsSuccess;
            s.LastBytes = r.BytesTransferred;
            if (r.IsCanceled)
            {
                return CallbackAction.Disarm;
            }

            if (!r.IsSuccess)
            {
                s.Error = r.SocketError;
                return CallbackAction.Disarm;
            }

            s.Receives++;
            s.Bytes.AddRange(s.Buffer.AsSpan(0, r.BytesTransferred));
            return r.BytesTransferred > 0 && s.Bytes.Count < s.Until ? CallbackAction.Rearm : CallbackAction.Disarm;
        }
    }
}
