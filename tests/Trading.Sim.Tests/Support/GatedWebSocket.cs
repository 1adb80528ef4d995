using System.Net.WebSockets;
using System.Text;

namespace Trading.Sim.Tests.Support;

/// <summary>
/// A server-side socket with no wire behind it: the frames the simulator sends are recorded, and the first send waits
/// until <see cref="Open"/> — so a test holds a connection's outgoing queue exactly where it wants it (what the client
/// could have read so far). Nothing is ever received.
/// </summary>
internal sealed class GatedWebSocket : WebSocket
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _sent = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource<int> _sentChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override WebSocketCloseStatus? CloseStatus => null;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => WebSocketState.Open;

    public override string? SubProtocol => null;

    /// <summary>The frames handed to this socket so far, in order.</summary>
    public IReadOnlyList<string> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>Lets the held send (and every later one) through.</summary>
    public void Open() => _gate.TrySetResult();

    /// <summary>Completes once <paramref name="count"/> frames have been sent (bounded: a hang fails the test).</summary>
    public async Task WaitForSent(int count)
    {
        var limit = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            Task<int> changed;
            lock (_lock)
            {
                if (_sent.Count >= count)
                {
                    return;
                }

                changed = _sentChanged.Task;
            }

            await changed.WaitAsync(limit - DateTime.UtcNow);
        }
    }

    public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        await _gate.Task.WaitAsync(cancellationToken);
        TaskCompletionSource<int> changed;
        lock (_lock)
        {
            _sent.Add(Encoding.UTF8.GetString(buffer));
            changed = _sentChanged;
            _sentChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult(0);
    }

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith<WebSocketReceiveResult>(_ => throw new OperationCanceledException(), TaskScheduler.Default);

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Abort()
    {
    }

    public override void Dispose()
    {
    }
}
