using Trading.Sim.Api;
using Trading.Sim.Faults;
using Trading.Sim.Matching;
using Trading.Sim.Transport;

namespace Trading.Sim;

/// <summary>
/// Fault injection, under the exchange lock. Decisions come from <see cref="FaultInjector.Decide"/> with an ordinal
/// per thing a fault applies to: requests, order.place calls, cancels, execution reports, user events, market events,
/// and each connection's outgoing frames (the connection named by its rank among connections of its kind).
/// The fault clock (<see cref="FaultNow"/>) is the replay clock in lockstep (<see cref="SimOptions.Speed"/> 0) and the
/// wall clock otherwise: in lockstep a stall, a held ack, a quiet user stream, a lifetime or drop-every period ends only
/// when the market is stepped past it. Retry-After and bans stay on the wall clock (clients honour them in real time).
/// </summary>
internal sealed partial class SimExchange
{
    private readonly bool _lockstep;
    private readonly List<(long Due, Action Release)> _deferred = [];
    private long _lastDropAll;
    private long _requestOrdinal;
    private long _orderOrdinal;
    private long _cancelOrdinal;
    private long _reportOrdinal;
    private long _userEventOrdinal;
    private long _marketEventOrdinal;
    private long _userStallUntil = long.MinValue;
    private long _retryAfterUntil = long.MinValue;
    private long _retryWindow;
    private long _retryWindowSeen;
    private long _bannedUntil = long.MinValue;
    private int _ignoredRetryAfters;

    /// <summary>The clock fault durations count on: market time in lockstep, wall time otherwise.</summary>
    private long FaultNow => _lockstep ? _market.Now : _options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>True while a ban fault is in force (new WebSocket connections are refused with 418).</summary>
    public bool Banned
    {
        get
        {
            lock (_gate)
            {
                return WallNow < _bannedUntil;
            }
        }
    }

    /// <summary>After each market event: releases held frames that are due, then closes what drop-every and lifetime say.</summary>
    private void OnMarketEvent()
    {
        var spec = Faults.Spec;
        var now = FaultNow;
        _marketEventOrdinal++;
        ReleaseDue(now);
        var dropAll = (spec.DropEveryEvents > 0 && _marketEventOrdinal % spec.DropEveryEvents == 0)
            || (spec.DropEvery > TimeSpan.Zero && now - _lastDropAll >= (long)spec.DropEvery.TotalMilliseconds);
        if (dropAll)
        {
            _lastDropAll = now;
            foreach (var c in _connections.ToArray())
            {
                Faults.Count(FaultKind.Drop);
                Drop(c);
            }
        }

        if (spec.Lifetime > TimeSpan.Zero)
        {
            foreach (var c in _connections.Where(c => now - c.OpenedAt >= (long)spec.Lifetime.TotalMilliseconds).ToArray())
            {
                // Binance: "expect to be disconnected at the 24 hour mark" — a close frame after what is queued.
                Faults.Count(FaultKind.Lifetime);
                _connections.Remove(c);
                c.CloseWhenSent();
            }
        }
    }

    /// <summary>Sends, in the order they were held, the frames whose hold has ended.</summary>
    private void ReleaseDue(long now)
    {
        if (_deferred.Count > 0)
        {
            var due = _deferred.Where(d => d.Due <= now).ToList();
            _deferred.RemoveAll(d => d.Due <= now);
            foreach (var d in due)
            {
                d.Release();
            }
        }

        foreach (var c in _connections)
        {
            if (c.Held.Count > 0 && now >= c.HeldUntil)
            {
                var frames = c.Held.ToArray();
                c.Held.Clear();
                foreach (var f in frames)
                {
                    c.Send(f.Text, sent: f.Sent);
                }
            }
        }
    }

    /// <summary>Holds <paramref name="release"/> until the fault clock reaches <paramref name="due"/>.</summary>
    private void Defer(long due, Action release) => _deferred.Add((due, release));

    /// <summary>Queues a frame, applying the frame-level faults (drop, stall, malformed, truncate) under the lock.
    /// Nothing is decided for a connection already gone, so counts are exact.</summary>
    private void SendWithFaults(SimConnection c, byte[] frame, bool isStream, Action? sent = null)
    {
        if (c.Aborted.IsCancellationRequested || !_connections.Contains(c))
        {
            return;
        }

        var spec = Faults.Spec;
        var ordinal = c.FrameOrdinal++;
        if (Faults.Decide(FaultKind.Drop, spec.Drop, ordinal, c.FaultId))
        {
            Drop(c);
            return;
        }

        var delay = TimeSpan.Zero;
        if (isStream)
        {
            if (Faults.Decide(FaultKind.Stall, spec.Stall, ordinal, c.FaultId))
            {
                delay = spec.StallFor;
            }

            if (Faults.Decide(FaultKind.Malformed, spec.Malformed, ordinal, c.FaultId))
            {
                frame = "{\"e\":trade,,]"u8.ToArray();
            }
            else if (Faults.Decide(FaultKind.Truncated, spec.Truncate, ordinal, c.FaultId))
            {
                frame = frame[..(frame.Length / 2)];
            }
        }

        if (_lockstep)
        {
            // On the replay clock: the connection holds this frame and every later one until the market passes the stall.
            if (delay > TimeSpan.Zero)
            {
                c.HeldUntil = Math.Max(c.HeldUntil, FaultNow + (long)delay.TotalMilliseconds);
            }

            if (c.Held.Count > 0 || FaultNow < c.HeldUntil)
            {
                c.Held.Add(new OutFrame(frame, TimeSpan.Zero, sent));
                return;
            }

            delay = TimeSpan.Zero;
        }

        c.Send(frame, delay, sent);
    }

    private void Drop(SimConnection c)
    {
        _connections.Remove(c);
        c.Abort();
    }

    /// <summary>
    /// Sends user events to every user-data subscriber. Per event: user-stall may start a quiet period; per execution
    /// report: lose-report, dup-exec and reorder-exec are decided once (the same for every subscriber).
    /// </summary>
    private void PublishUser(IReadOnlyList<UserEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var spec = Faults.Spec;
        var subscribers = _connections.Where(c => c.UserDataSubscriptionId is not null).ToArray();
        foreach (var ev in events)
        {
            var eventOrdinal = _userEventOrdinal++;
            var isReport = ev.Report is not null;
            var reportOrdinal = isReport ? _reportOrdinal++ : -1;
            if (subscribers.Length == 0)
            {
                continue;
            }

            var now = FaultNow;
            if (now >= _userStallUntil && Faults.Decide(FaultKind.UserStall, spec.UserStall, eventOrdinal))
            {
                _userStallUntil = now + (long)spec.UserStallFor.TotalMilliseconds;
            }

            if (isReport && Faults.Decide(FaultKind.LoseReport, spec.LoseReport, reportOrdinal))
            {
                continue;
            }

            var duplicate = isReport && Faults.Decide(FaultKind.DuplicateExecutionReport, spec.DuplicateExecutionReport, reportOrdinal);
            var reorder = isReport && Faults.Hits(FaultKind.ReorderExecutionReport, spec.ReorderExecutionReport, reportOrdinal);
            var payload = BinanceJson.Build(w => WriteUserEvent(w, ev));
            foreach (var c in subscribers)
            {
                var frame = BinanceJson.Build(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("subscriptionId", c.UserDataSubscriptionId!.Value);
                    w.WritePropertyName("event");
                    w.WriteRawValue(payload, skipInputValidation: true);
                    w.WriteEndObject();
                });
                if (now < _userStallUntil)
                {
                    Defer(_userStallUntil, () => SendUserFrame(c, frame, isReport, duplicate, reorder));
                }
                else
                {
                    SendUserFrame(c, frame, isReport, duplicate, reorder);
                }
            }
        }
    }

    private void SendUserFrame(SimConnection c, byte[] frame, bool isReport, bool duplicate, bool reorder)
    {
        if (isReport && reorder && c.HeldEvent is null)
        {
            // Counted here: a report can be held only while none is (it goes out after the next user event).
            Faults.Count(FaultKind.ReorderExecutionReport);
            c.HeldEvent = frame;
            return;
        }

        SendWithFaults(c, frame, isStream: false);
        if (duplicate)
        {
            SendWithFaults(c, frame, isStream: false);
        }

        if (c.HeldEvent is { } held && !ReferenceEquals(held, frame))
        {
            c.HeldEvent = null;
            SendWithFaults(c, held, isStream: false);
        }
    }

    /// <summary>
    /// Before a request runs: a ban answers 418; a request that arrives inside a Retry-After window, after a 429 of that
    /// window had reached the client (<paramref name="seenWindow"/>: <see cref="RetryWindowSeen"/> when the request
    /// arrived), counts towards <c>ban=N</c>; a ratelimit fault answers 429. <paramref name="closeAll"/>: the ban just
    /// began (close every connection once its reply is queued).
    /// </summary>
    private void CheckRequestFaults(long now, long seenWindow, ref bool closeAll)
    {
        var spec = Faults.Spec;
        var ordinal = _requestOrdinal++;
        if (now < _bannedUntil)
        {
            throw Banned418(now);
        }

        if (spec.BanAfter > 0 && now < _retryAfterUntil && seenWindow == _retryWindow && ++_ignoredRetryAfters >= spec.BanAfter)
        {
            _ignoredRetryAfters = 0;
            _bannedUntil = now + (long)spec.BanFor.TotalMilliseconds;
            Faults.Count(FaultKind.Ban);
            closeAll = true;
            throw Banned418(now);
        }

        if (Faults.Decide(FaultKind.RateLimit, spec.RateLimit, ordinal))
        {
            throw new ApiException(429, -1003, TooMuchWeightMessage, now + (long)spec.RateLimitRetryAfter.TotalMilliseconds);
        }
    }

    private ApiException Banned418(long now) => new(418, -1003,
        $"Way too much request weight used; IP banned until {_bannedUntil}. Please use WebSocket Streams for live updates to avoid bans.",
        Math.Max(_bannedUntil, now));

    /// <summary>A 429 given: requests before <paramref name="retryAt"/> ignored it (and count towards a ban). The count
    /// is per back-off: a 429 after the previous Retry-After has passed starts it again, so a client that honours each
    /// one is never banned however long it runs. Returns the back-off window the 429 belongs to: its requests count only
    /// once a 429 of the window has reached the client (<see cref="RetryAfterSeen"/>), since one that arrives before
    /// that was provably sent before the client could have read it — however many a client had in flight, Binance
    /// counts the requests after the 429.</summary>
    private long NoteRetryAfter(long retryAt, long now)
    {
        if (now >= _retryAfterUntil)
        {
            _ignoredRetryAfters = 0;
            _retryWindow++;
        }

        _retryAfterUntil = Math.Max(_retryAfterUntil, retryAt);
        return _retryWindow;
    }

    /// <summary>The newest back-off window one of whose 429s has reached the client. Read without the lock when a request
    /// arrives (before it waits for the lock), so a request that was in the server's hands first is never counted.</summary>
    private long RetryWindowSeen => Volatile.Read(ref _retryWindowSeen);

    /// <summary>A 429 of <paramref name="window"/> reached the client: a WebSocket reply handed to the socket (on the
    /// pump), a REST reply as its handler returns.</summary>
    private void RetryAfterSeen(long window)
    {
        var seen = Volatile.Read(ref _retryWindowSeen);
        while (window > seen)
        {
            var was = Interlocked.CompareExchange(ref _retryWindowSeen, window, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }

    /// <summary>The ban began: every connection gets a close frame once what is queued (the 418 reply) is sent.</summary>
    private void CloseAllConnections()
    {
        foreach (var c in _connections.ToArray())
        {
            _connections.Remove(c);
            c.CloseWhenSent();
        }
    }
}
