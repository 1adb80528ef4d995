using System.Net.WebSockets;
using EventLoop.Net;

namespace EventLoop;

/// <summary>Orderly shutdown: the connections the loop knows, and every active completion.</summary>
public sealed partial class Loop
{
    private readonly HashSet<object> _connections = new(ReferenceEqualityComparer.Instance);
    private int _pruneAt = 64;
    private bool _shuttingDown;

    /// <summary>Connections used on this loop and not yet seen closed (for tests and diagnostics).</summary>
    internal int TrackedConnections => _connections.Count;

    /// <summary>
    /// Ends everything on the loop in order and returns true once nothing is active (false if
    /// <paramref name="timeout"/> passed first, e.g. an offloaded work item that never returns). In order: every open
    /// WebSocket the loop has seen (any connection an operation was submitted on, or that a connect produced) runs its
    /// close handshake with half of <paramref name="timeout"/> as its deadline, then is aborted; every TCP socket is
    /// closed; every other active completion (timers, posts, notifier waits, offloads, awaits, TCP operations) is
    /// canceled. All their callbacks run, each once, with <see cref="CompletionResult.IsCanceled"/> (or the WebSocket
    /// operations' own outcome, canceled too) and their Rearm ignored; anything a callback submits meanwhile (a
    /// reconnect) is canceled in turn. Must be called outside <see cref="Run"/> (it runs the loop itself), e.g. once a
    /// <see cref="Stop"/> made Run return; the loop remains usable afterwards.
    /// <para>Budget: after a completed handshake the runtime's client waits up to 1 s for the server to close the TCP
    /// connection, so give a <paramref name="timeout"/> of a few seconds (the handshakes get half of it).</para>
    /// </summary>
    public bool Shutdown(TimeSpan timeout)
    {
        if (Volatile.Read(ref _loopThread) != 0)
        {
            throw new InvalidOperationException("Loop.Shutdown runs the loop itself: call it outside Run (e.g. after Stop made Run return)");
        }

        long budget = TimeoutTicksOf(timeout);
        UpdateNow();
        long end = budget == 0 ? long.MaxValue : DeadlineAfter(budget);
        _shuttingDown = true;
        try
        {
            var handshake = timeout == Timeout.InfiniteTimeSpan ? timeout : TimeSpan.FromTicks(Math.Max(1, budget / 2));
            var connections = _connections.ToArray();
            foreach (var conn in connections)
            {
                switch (conn)
                {
                    case WebSocketConnection ws when ws.WebSocket.State is WebSocketState.Open or WebSocketState.CloseReceived:
                        var close = new Completion();
                        ws.Close(this, close, WebSocketCloseStatus.NormalClosure, "shutdown", handshake, ws, static (w, _, _, in _) =>
                        {
                            w.Dispose();
                            return CallbackAction.Disarm;
                        });
                        close.Internal = true;
                        break;
                    case WebSocketConnection ws:
                        ws.Dispose();
                        break;
                    case Tcp tcp:
                        tcp.Dispose(); // its pending operations abort
                        break;
                }
            }

            RunShutdown(end, spareWebSockets: true); // the handshakes end by their own deadline (half the budget)
            foreach (var conn in connections)
            {
                (conn as IDisposable)!.Dispose(); // whatever the handshake deadline left open is aborted
            }

            _connections.Clear();
            RunShutdown(end, spareWebSockets: false);
            return _active == 0;
        }
        finally
        {
            _shuttingDown = false;
        }
    }

    /// <summary>Remembers a connection an operation runs on (so that <see cref="Shutdown"/> can close it). Loop thread; cheap when already known.</summary>
    internal void Track(object connection)
    {
        if (!_connections.Add(connection) || _connections.Count < _pruneAt)
        {
            return;
        }

        _connections.RemoveWhere(static c => c switch
        {
            Tcp t => t.Socket.SafeHandle.IsClosed,
            WebSocketConnection w => w.WebSocket.State is WebSocketState.Closed or WebSocketState.Aborted,
            _ => false,
        });
        _pruneAt = Math.Max(64, _connections.Count * 2);
    }

    /// <summary>Cancels what is active and runs callbacks until nothing but internal completions is left or <paramref name="until"/> passes.</summary>
    private void RunShutdown(long until, bool spareWebSockets)
    {
        var guard = new Completion();
        if (until != long.MaxValue)
        {
            UpdateNow();
            Timer(guard, new TimeSpan(Math.Max(0, until - _now)), guard, static (_, _, _, in _) => CallbackAction.Disarm);
            guard.Internal = true;
        }

        while (true)
        {
            int internalActive = 0;
            for (var c = _activeHead; c is not null; c = c.ActiveNext)
            {
                if (c.Internal)
                {
                    internalActive++;
                }
                else if (!c.CancelRequested && !(spareWebSockets && IsWebSocketOperation(c.Operation)))
                {
                    CancelCore(c, timedOut: false);
                }
            }

            bool guardActive = guard.State == CompletionState.Active;
            if (_active - internalActive == 0 && (!spareWebSockets || internalActive == (guardActive ? 1 : 0)))
            {
                break;
            }

            if (until != long.MaxValue && !guardActive)
            {
                break; // out of time
            }

            Run(RunMode.Once);
        }

        if (guard.State == CompletionState.Active)
        {
            Cancel(guard);
            Run(RunMode.NoWait);
        }
    }

    /// <summary>Operations on a connection whose close handshake is running: left to end with it (canceling one would abort the socket).</summary>
    private static bool IsWebSocketOperation(Operation op)
        => op is Operation.WebSocketReceive or Operation.WebSocketSend or Operation.WebSocketClose;
}
