using System.Buffers;
using System.Net.WebSockets;
using EventLoop;
using EventLoop.Net;
using Trading.Live.Connection;

namespace Trading.Live.Binance;

/// <summary>
/// One WebSocket API connection on the loop (binance.md §2): requests go out through a send queue (one send in flight;
/// each frame copied into a pooled buffer, since the request writer reuses its own), answers are matched to their
/// request by id, pushed user-data events are handed on as they come. A request not answered within the request
/// timeout — or still pending when the connection ends — is reported unanswered: its outcome is unknown, and the
/// caller settles it by query, never by sending it again. Frames that do not parse are counted, reported
/// (<see cref="IApiListener.OnBadFrame"/>) and skipped.
/// <para>With a <see cref="RateLimiter"/>, every request takes its cost (<see cref="CostOf"/>) before it is queued; one
/// that does not fit waits in order for the limiter's retry time on a loop timer — cancels first, using the headroom —
/// and one that would wait longer than <see cref="MaxRateWait"/> (its signed timestamp would fall outside the receive
/// window) is not sent at all (<see cref="IApiListener.OnNotSent"/>: a definite "never left"). Every answer's
/// <c>rateLimits</c> corrects the limiter; a 429 / −1003 blocks it for the Retry-After, a 418 for the ban, and every
/// request not yet handed to the socket (queued behind the one being sent) goes back to wait for the limiter, first in
/// line: nothing leaves inside a Retry-After. What was written before the 429 arrived cannot be recalled (Binance counts
/// the requests after its 429).</para>
/// <para>A session is one connection: after it ended the engine makes a new one (ids restart; a late answer to the old
/// one cannot reach the new one). Loop thread only.</para>
/// </summary>
public sealed class ApiSession
{
    private static readonly Callback<ApiSession> OnConnect = (s, loop, c, in r) => s.Connected(loop, r);
    private static readonly Callback<ApiSession> OnReceive = (s, loop, c, in r) => s.Received(loop, r);
    private static readonly Callback<ApiSession> OnSent = (s, loop, c, in r) => s.Sent(loop, r);
    private static readonly Callback<ApiSession> OnClose = (s, loop, c, in r) => s.Closed();
    private static readonly Callback<ApiSession> OnTick = (s, loop, c, in r) => s.Tick(r);
    private static readonly Callback<ApiSession> OnRateTimer = (s, loop, c, in r) => s.RateTimer(r);
    private readonly Loop _loop;
    private readonly Uri _url;
    private readonly ApiFrameParser _parser;
    private readonly IApiListener _listener;
    private readonly long _timeoutTicks;
    private readonly Completion _connect = new();
    private readonly Completion _receive = new();
    private readonly Completion _send = new();
    private readonly Completion _close = new();
    private readonly Completion _timer = new();
    private readonly ApiFrame _frame = new();
    private readonly Queue<(PendingRequest Request, byte[] Buffer, int Length, long Queued)> _outbox = new();
    private readonly Dictionary<long, PendingRequest> _pending = [];
    private readonly List<PendingRequest> _expired = [];
    private readonly Queue<(PendingRequest Request, byte[] Buffer, int Length, long Queued)> _deferred = new();
    private readonly Completion _rateTimer = new();
    private readonly RateLimiter? _limiter;
    private readonly Func<long>? _venueClock;
    private byte[] _buffer = new byte[256 * 1024];
    private byte[]? _sending;
    private int _filled;
    private long _nextId;
    private long _lastAnsweredId;
    private WebSocketConnection? _ws;
    private bool _started;
    /// <summary>When the deadline timer fires (loop ticks); <see cref="long.MaxValue"/> when parked or not armed.</summary>
    private long _deadlineAt = long.MaxValue;
    private bool _closing;
    private bool _ended;

    public ApiSession(Loop loop, Uri url, ApiFrameParser parser, IApiListener listener, TimeSpan requestTimeout,
        RateLimiter? limiter = null, Func<long>? venueClock = null, long firstId = 0)
    {
        _nextId = firstId;
        _limiter = limiter;
        _venueClock = venueClock;
        _loop = loop;
        _url = url;
        _parser = parser;
        _listener = listener;
        _timeoutTicks = requestTimeout.Ticks;
    }

    /// <summary>The longest a request may wait for the rate limiter before it is dropped unsent (its signature would be stale).</summary>
    public static readonly TimeSpan MaxRateWait = TimeSpan.FromSeconds(3);

    private const long RetryMarginMs = 250;

    public bool IsOpen => _ws is not null && !_ended && !_closing;

    /// <summary>Requests awaiting an answer, and those waiting for the rate limiter.</summary>
    public int PendingCount => _pending.Count + _deferred.Count;

    /// <summary>Requests held back by the rate limiter (or the bounded pipeline, <see cref="MaxUnprocessed"/>) so far.</summary>
    public long RateDeferred { get; private set; }

    public long MalformedFrames { get; private set; }

    /// <summary>Answers whose id matched no pending request (late answers after a timeout): ignored.</summary>
    public long UnmatchedResponses { get; private set; }

    public void Start(TimeSpan connectTimeout)
    {
        _started = true;
        VenueSocket.Connect(_loop, _connect, _url, connectTimeout, this, OnConnect);
    }

    /// <summary>The id for the next request (write the request with it, then <see cref="Send"/> it).</summary>
    public long NextId() => ++_nextId;

    /// <summary>The last id handed out (a reconnect's session continues after it, so ids never repeat within a run).</summary>
    public long LastId => _nextId;

    /// <summary>Queues a request written with id <paramref name="id"/>; false (nothing queued) when the connection is not open.</summary>
    public bool Send(long id, ReadOnlyMemory<byte> frame, RequestKind kind, long sequence)
    {
        if (!IsOpen)
        {
            return false;
        }

        var copy = ArrayPool<byte>.Shared.Rent(frame.Length);
        frame.Span.CopyTo(copy);
        var request = new PendingRequest(id, kind, sequence, _loop.Now.Ticks + _timeoutTicks);
        if (_deferred.Count > 0 || Unprocessed >= MaxUnprocessed
            || (_limiter is not null && !_limiter.TryAcquire(CostOf(kind), VenueNow, out _, urgent: kind == RequestKind.Cancel)))
        {
            // Behind others waiting, the pipeline full, or over a limit: wait in order (the venue must never see it early).
            RateDeferred++;
            _deferred.Enqueue((request, copy, frame.Length, _loop.Now.Ticks));
            ArmRateTimer();
            return true;
        }

        Queue(request, copy, frame.Length, _loop.Now.Ticks);
        return true;
    }

    /// <summary>
    /// At most this many requests are out that the venue may not have processed yet (sent after the last one answered).
    /// A request handed to the socket cannot be recalled when a 429 arrives, and the venue counts every request it gets
    /// after its 429 towards a ban: a bounded pipeline bounds how many can land inside a Retry-After whatever the
    /// strategy does. An answer frees the pipeline for everything sent before it too (the venue processes one
    /// connection's requests in order), so a lost or delayed ack holds no slot once a later request is answered.
    /// </summary>
    public const int MaxUnprocessed = 4;

    /// <summary>Requests handed out (queued to the socket) after the last answered one and not answered themselves.</summary>
    private int Unprocessed
    {
        get
        {
            var n = 0;
            foreach (var id in _pending.Keys)
            {
                if (id > _lastAnsweredId)
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>What a request of <paramref name="kind"/> costs against the venue's limits (binance.md §6).</summary>
    public static RequestCost CostOf(RequestKind kind) => kind switch
    {
        RequestKind.Place => RequestCost.Order,
        RequestKind.Cancel => new RequestCost(1),
        RequestKind.Status or RequestKind.ReconcileStatus => new RequestCost(4),
        RequestKind.OpenOrders or RequestKind.ReconcileOpenOrders => new RequestCost(6),
        RequestKind.Trades or RequestKind.ReconcileTrades => new RequestCost(20),
        RequestKind.AccountStatus or RequestKind.ReconcileAccount => new RequestCost(20),
        RequestKind.SubscribeUserData or RequestKind.Klines => new RequestCost(2),
        _ => new RequestCost(1),
    };

    /// <summary>Ends the connection at once (a stale stream: no close handshake to wait for); pending requests end unanswered.</summary>
    public void Abort(string why)
    {
        if (!_ended)
        {
            End(why);
        }
    }

    private long VenueNow => _venueClock?.Invoke() ?? (long)_loop.Now.TotalMilliseconds;

    private void Queue(in PendingRequest waiting, byte[] copy, int length, long queued)
    {
        var request = waiting with { SentTicks = _loop.Now.Ticks };
        _pending[request.Id] = request;
        _outbox.Enqueue((request, copy, length, queued));
        ArmDeadline(request.DeadlineTicks);

        if (_sending is null)
        {
            SendNext();
        }
    }

    /// <summary>A timer for the waiting requests: the limiter's retry time (at most 1 s away, so the ones held too long
    /// are dropped in time), or a short look again while only the pipeline holds them (an answer usually frees it first).</summary>
    private void ArmRateTimer()
    {
        if (_rateTimer.State != CompletionState.Dead || _ended)
        {
            return;
        }

        var wait = _limiter is null ? 100 : Math.Clamp(_limiter.BlockedUntil - VenueNow, 20, 1_000);
        _loop.Timer(_rateTimer, TimeSpan.FromMilliseconds(wait), this, OnRateTimer);
    }

    private CallbackAction RateTimer(in CompletionResult r)
    {
        if (r.IsCanceled || _ended)
        {
            return CallbackAction.Disarm;
        }

        Drain();
        return CallbackAction.Disarm;
    }

    /// <summary>Sends the waiting requests, in order, while the pipeline and the limiter let them; drops (never sends) the
    /// ones that waited longer than <see cref="MaxRateWait"/>.</summary>
    private void Drain()
    {
        var now = _loop.Now.Ticks;
        while (!_ended && _deferred.TryPeek(out var next))
        {
            if (now - next.Queued > MaxRateWait.Ticks)
            {
                _deferred.Dequeue();
                ArrayPool<byte>.Shared.Return(next.Buffer);
                _listener.OnNotSent(next.Request, "held back by the rate limit too long: not sent");
                continue;
            }

            if (Unprocessed >= MaxUnprocessed
                || (_limiter is not null && !_limiter.TryAcquire(CostOf(next.Request.Kind), VenueNow, out _, urgent: next.Request.Kind == RequestKind.Cancel)))
            {
                break;
            }

            _deferred.Dequeue();
            // Its deadline counts from now: it only now leaves.
            Queue(next.Request with { DeadlineTicks = now + _timeoutTicks }, next.Buffer, next.Length, next.Queued);
        }

        if (_deferred.Count > 0)
        {
            ArmRateTimer();
        }
    }

    /// <summary>Starts the close handshake once the queued requests are out; pending requests end unanswered.</summary>
    public void Close()
    {
        if (_closing || _ended)
        {
            return;
        }

        _closing = true;
        if (_ws is null)
        {
            if (!_started)
            {
                End(null);
            }

            return; // connecting: the connect callback ends it
        }

        if (_sending is null)
        {
            _ws.Close(_loop, _close, WebSocketCloseStatus.NormalClosure, null, TimeSpan.FromSeconds(2), this, OnClose);
        }
    }

    private CallbackAction Connected(Loop loop, in CompletionResult r)
    {
        if (!r.IsSuccess || r.WebSocket is null)
        {
            End($"cannot connect to {_url.GetLeftPart(UriPartial.Authority)}: {r.Exception?.Message ?? "canceled"}");
            return CallbackAction.Disarm;
        }

        _ws = r.WebSocket;
        if (_closing)
        {
            End(null);
            return CallbackAction.Disarm;
        }

        _ws.Receive(loop, _receive, _buffer, this, OnReceive);
        _listener.OnApiConnected();
        return CallbackAction.Disarm;
    }

    private void SendNext()
    {
        if (_ws is null || _ended || !_outbox.TryDequeue(out var next))
        {
            _sending = null;
            if (_closing && _ws is not null && !_ended && _close.State == CompletionState.Dead)
            {
                _ws.Close(_loop, _close, WebSocketCloseStatus.NormalClosure, null, TimeSpan.FromSeconds(2), this, OnClose);
            }

            return;
        }

        _sending = next.Buffer;
        _ws.Send(_loop, _send, next.Buffer.AsMemory(0, next.Length), WebSocketMessageType.Text, this, OnSent);
    }

    private CallbackAction Sent(Loop loop, in CompletionResult r)
    {
        ArrayPool<byte>.Shared.Return(_sending!);
        _sending = null;
        if (!r.IsSuccess)
        {
            End($"WebSocket API send: {r.Exception?.Message ?? "canceled"}");
            return CallbackAction.Disarm;
        }

        SendNext();
        return CallbackAction.Disarm;
    }

    private CallbackAction Received(Loop loop, in CompletionResult r)
    {
        if (!r.IsSuccess)
        {
            End(_closing ? null : $"WebSocket API: {r.Exception?.Message ?? "canceled"}");
            return CallbackAction.Disarm;
        }

        if (r.MessageType == WebSocketMessageType.Close)
        {
            if (!_closing)
            {
                _closing = true;
                FailPending("the venue closed the connection");
                _ws!.Close(loop, _close, WebSocketCloseStatus.NormalClosure, null, TimeSpan.FromSeconds(2), this, OnClose);
            }

            return CallbackAction.Disarm;
        }

        _filled += r.BytesTransferred;
        if (!r.EndOfMessage)
        {
            if (_filled == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            _ws!.Receive(loop, _receive, _buffer.AsMemory(_filled), this, OnReceive);
            return CallbackAction.Disarm;
        }

        var length = _filled;
        _filled = 0;
        Dispatch(_buffer.AsSpan(0, length));
        if (!_ended && _ws is not null && _receive.State == CompletionState.Dead)
        {
            _ws.Receive(loop, _receive, _buffer, this, OnReceive);
        }

        return CallbackAction.Disarm;
    }

    private void Dispatch(ReadOnlySpan<byte> json)
    {
        ApiFrameKind kind;
        try
        {
            kind = _parser.Parse(json, _frame);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            MalformedFrames++;
            _listener.OnBadFrame(e is System.Text.Json.JsonException ? "WebSocket API: malformed JSON" : "WebSocket API: unreadable frame", e.Message);
            return;
        }

        if (kind != ApiFrameKind.Response)
        {
            if (kind is ApiFrameKind.Unknown or ApiFrameKind.OtherEvent)
            {
                _listener.OnBadFrame("WebSocket API: unknown message", kind.ToString());
            }

            _listener.OnUserEvent(_frame);
            return;
        }

        if (_limiter is not null)
        {
            var now = VenueNow;
            _limiter.Observe(_frame.RateLimits, now, InFlightAfter(_frame.Id));
            if (_frame.Status is 429 or 418 || _frame.ErrorCode == -1003)
            {
                var after = RetryWait(now);
                if (_frame.Status == 418)
                {
                    _limiter.OnBanned(now, after ?? TimeSpan.FromMinutes(2));
                }
                else
                {
                    _limiter.OnRateLimited(now, after);
                }

                Recall();
            }
        }

        if (_frame.Id > _lastAnsweredId)
        {
            _lastAnsweredId = _frame.Id; // processed, and so is everything sent before it
        }

        if (!_pending.Remove(_frame.Id, out var request))
        {
            UnmatchedResponses++;
            Drain();
            return;
        }

        if (_pending.Count == 0)
        {
            ParkDeadline();
        }

        _listener.OnResponse(request, _frame, json);
        Drain();
    }

    /// <summary>
    /// How long nothing may leave after the 429/418 being dispatched, counted from now. The venue says it in its own clock:
    /// <c>retryAfter − serverTime</c> (both in the error's data), exact whatever the error of the local estimate of the
    /// venue's clock — which is measured from round trips that a loaded machine can make lopsided by hundreds of ms, and
    /// an estimate ahead of the venue's clock would end the wait early: the requests that then land inside it earn a ban.
    /// Counted from the answer's arrival here, the wait also includes its transit, on the safe side. Without a
    /// <c>serverTime</c> the estimate is all there is. The margin covers the venue's own jitter. Null when neither says
    /// anything usable (the limiter then waits out the whole window).
    /// </summary>
    private TimeSpan? RetryWait(long venueNow)
    {
        var wait = _frame.ServerTime > 0 && _frame.RetryAfter >= _frame.ServerTime ? _frame.RetryAfter - _frame.ServerTime
            : _frame.RetryAfter > venueNow ? _frame.RetryAfter - venueNow
            : -1;
        return wait < 0 ? null : TimeSpan.FromMilliseconds(wait + RetryMarginMs);
    }

    /// <summary>
    /// The request timeout is one loop timer at the earliest deadline of the requests awaiting an answer — not a poll:
    /// with nothing pending it is parked (moved to never, which costs no wake-up), and a new request moves it to its
    /// deadline again (requests are queued in deadline order, so only an earlier deadline moves it).
    /// </summary>
    private void ArmDeadline(long at)
    {
        var delay = TimeSpan.FromTicks(Math.Max(0, at - _loop.Now.Ticks));
        if (_timer.State == CompletionState.Active)
        {
            if (_deadlineAt > at)
            {
                _deadlineAt = at;
                _loop.ResetTimer(_timer, delay);
            }

            return;
        }

        _deadlineAt = at;
        _loop.Timer(_timer, delay, this, OnTick);
    }

    /// <summary>Nothing awaits an answer: the deadline timer stays armed but never fires (End cancels it).</summary>
    private void ParkDeadline()
    {
        if (_timer.State == CompletionState.Active && _deadlineAt != long.MaxValue)
        {
            _deadlineAt = long.MaxValue;
            _loop.ResetTimer(_timer, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>What the requests sent after request <paramref name="id"/> and still unanswered cost (ids grow in the
    /// order requests are queued to the socket; the venue answers a connection's requests in order, so its counts in
    /// that answer include everything before it and nothing after).</summary>
    private InFlightCost InFlightAfter(long id)
    {
        var cost = default(InFlightCost);
        foreach (var p in _pending.Values)
        {
            if (p.Id > id)
            {
                cost = cost.Plus(CostOf(p.Kind));
            }
        }

        return cost;
    }

    /// <summary>
    /// After a 429 / 418: every request still in the outbox (not yet handed to the socket) goes back to the front of the
    /// rate limiter's queue, in order, so nothing leaves before the limiter allows it again. The one being written cannot
    /// be taken back. Their signed timestamps date from when they were first queued, so <see cref="MaxRateWait"/> counts
    /// from then.
    /// </summary>
    private void Recall()
    {
        if (_outbox.Count == 0)
        {
            return;
        }

        var waiting = _deferred.ToArray();
        _deferred.Clear();
        while (_outbox.TryDequeue(out var queued))
        {
            _pending.Remove(queued.Request.Id);
            RateDeferred++;
            _deferred.Enqueue((queued.Request, queued.Buffer, queued.Length, queued.Queued));
        }

        foreach (var w in waiting)
        {
            _deferred.Enqueue(w);
        }

        ArmRateTimer();
    }

    private CallbackAction Tick(in CompletionResult r)
    {
        _deadlineAt = long.MaxValue;
        if (r.IsCanceled || _ended)
        {
            return CallbackAction.Disarm;
        }

        var now = _loop.Now.Ticks;
        foreach (var p in _pending.Values)
        {
            if (p.DeadlineTicks <= now)
            {
                _expired.Add(p);
            }
        }

        foreach (var p in _expired)
        {
            _pending.Remove(p.Id);
            _listener.OnUnanswered(p, "no answer in time");
        }

        if (_expired.Count > 0)
        {
            Drain();
        }

        _expired.Clear();
        // The completion is dead inside its own callback (a listener may have armed it again by sending): the next
        // deadline is the earliest still pending.
        var next = long.MaxValue;
        foreach (var p in _pending.Values)
        {
            next = Math.Min(next, p.DeadlineTicks);
        }

        if (next != long.MaxValue && !_ended)
        {
            ArmDeadline(next);
        }

        return CallbackAction.Disarm;
    }

    private CallbackAction Closed()
    {
        End(null);
        return CallbackAction.Disarm;
    }

    private void FailPending(string why)
    {
        _expired.AddRange(_pending.Values);
        _pending.Clear();
        foreach (var p in _expired)
        {
            _listener.OnUnanswered(p, why);
        }

        _expired.Clear();
    }

    private void End(string? error)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        _loop.Cancel(_timer);
        _loop.Cancel(_rateTimer);
        FailPending(error ?? "connection closed");
        while (_deferred.TryDequeue(out var waiting))
        {
            ArrayPool<byte>.Shared.Return(waiting.Buffer);
            _listener.OnNotSent(waiting.Request, "the connection ended before the rate limit let it leave");
        }

        while (_outbox.TryDequeue(out var queued))
        {
            ArrayPool<byte>.Shared.Return(queued.Buffer);
        }

        _ws?.Dispose();
        _listener.OnApiClosed(error);
    }
}
