using System.Net.WebSockets;
using System.Threading.Channels;

namespace Trading.Sim.Transport;

/// <summary>
/// One accepted WebSocket (market stream or WebSocket API). Frames are queued by the exchange under its lock, so
/// they leave in exactly the order events happened; <see cref="PumpAsync"/> is the only sender. A client too slow
/// to drain <see cref="Capacity"/> queued frames is disconnected, as Binance does.
/// Subscription state (<see cref="Streams"/>, <see cref="Combined"/>, <see cref="UserDataSubscriptionId"/>) is read
/// and written only under the exchange lock.
/// </summary>
internal sealed class SimConnection
{
    public const int Capacity = 100_000;

    private readonly Channel<OutFrame> _out = Channel.CreateBounded<OutFrame>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private readonly CancellationTokenSource _aborted = new();
    private readonly TimeProvider _time;
    private long _unsent;
    private volatile bool _closeWhenSent;

    public SimConnection(long id, WebSocket socket, bool isApi, TimeProvider time)
    {
        Id = id;
        Socket = socket;
        IsApi = isApi;
        _time = time;
        PumpTask = PumpAsync();
    }

    /// <summary>Set when the connection's handler has finished (closed or aborted).</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The sender: completes when the queue is completed and drained, or the connection is aborted.</summary>
    public Task PumpTask { get; }

    public long Id { get; }

    public WebSocket Socket { get; }

    public bool IsApi { get; }

    public HashSet<string> Streams { get; } = new(StringComparer.Ordinal);

    public bool Combined { get; set; }

    /// <summary>The WebSocket API connection's user data subscription, or null.</summary>
    public int? UserDataSubscriptionId { get; set; }

    public int NextSubscriptionId { get; set; }

    public bool ReturnRateLimits { get; set; } = true;

    /// <summary>An executionReport held back by the reorder fault, sent after the next user event.</summary>
    public byte[]? HeldEvent { get; set; }

    /// <summary>Names this connection in fault decisions: its rank among connections of its kind (API or stream).</summary>
    public long FaultId { get; init; }

    /// <summary>When it opened, on the fault clock (for the lifetime fault).</summary>
    public long OpenedAt { get; init; }

    /// <summary>Outgoing frames considered for frame-level faults so far (the ordinal of the next one).</summary>
    public long FrameOrdinal { get; set; }

    /// <summary>Lockstep stall: frames held, in order, until the fault clock reaches <see cref="HeldUntil"/>.</summary>
    public List<OutFrame> Held { get; } = [];

    public long HeldUntil { get; set; } = long.MinValue;

    public CancellationToken Aborted => _aborted.Token;

    /// <summary>Raised on the pump when the last queued frame has been handed to the socket (lockstep idleness).</summary>
    public Action? Drained { get; init; }

    /// <summary>Frames queued and not yet handed to the socket (0 once aborted: they will never be sent).</summary>
    public long Unsent => _aborted.IsCancellationRequested ? 0 : Interlocked.Read(ref _unsent);

    /// <summary>Queues a frame; <paramref name="sent"/> runs on the pump as it is handed to the socket (never, if the
    /// connection ends first).</summary>
    public bool Send(byte[] text, TimeSpan delay = default, Action? sent = null)
    {
        Interlocked.Increment(ref _unsent);
        if (_out.Writer.TryWrite(new OutFrame(text, delay, sent)))
        {
            return true;
        }

        Interlocked.Decrement(ref _unsent);

        Abort();
        return false;
    }

    /// <summary>Ends the connection at once, abruptly (no close frame); queued frames are discarded.</summary>
    public void Abort()
    {
        _out.Writer.TryComplete();
        _aborted.Cancel();
        Socket.Abort();
    }

    /// <summary>Sends queued frames in order until the connection ends.</summary>
    private async Task PumpAsync()
    {
        await Task.Yield();
        try
        {
            await foreach (var frame in _out.Reader.ReadAllAsync(_aborted.Token).ConfigureAwait(false))
            {
                if (frame.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(frame.Delay, _time, _aborted.Token).ConfigureAwait(false);
                }

                frame.Sent?.Invoke(); // before the write: once it starts, the client may read the frame and answer it
                await Socket.SendAsync(frame.Text, WebSocketMessageType.Text, true, _aborted.Token).ConfigureAwait(false);
                if (Interlocked.Decrement(ref _unsent) == 0)
                {
                    Drained?.Invoke();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection ended: the receive loop notices and unregisters it.
            return;
        }

        if (_closeWhenSent)
        {
            try
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await Socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, null, closing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
            {
                // The peer is gone: nothing more to do.
            }
        }
    }

    /// <summary>Sends what is queued, then a close frame (the server ends the connection: lifetime, ban).</summary>
    public void CloseWhenSent()
    {
        _closeWhenSent = true;
        _out.Writer.TryComplete();
    }

    /// <summary>Stops the pump after the frames already queued (a normal close).</summary>
    public void Complete() => _out.Writer.TryComplete();
}
