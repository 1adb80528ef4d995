using System.Text.Json;
using EventLoop;
using Trading.Core.Market;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Connection;
using Trading.Live.Orders;

namespace Trading.Live.Engine;

/// <summary>
/// The connections' upkeep (docs/live-trading.md, "Connections"), all on loop timers:
/// <list type="bullet">
/// <item><b>Reconnect.</b> Once a connection has been up, its loss (a drop, a close, the 24-hour lifetime, a
/// <c>serverShutdown</c>, the watchdog) is routine: a new session after a capped exponential backoff with jitter
/// (<see cref="ReconnectBackoff"/>; a connection that drops at once does not reset it), each connect counted by the
/// rate limiter (weight 2). The API session resubscribes the user data stream and checks every open order with
/// <c>order.status</c> (requests in flight when it dropped became unknown and are settled so, never resent); the
/// market stream checks its subscriptions (LIST_SUBSCRIPTIONS) and fills the candles it missed from REST klines
/// (holding the stream's closed candles meanwhile), so the strategy sees every closed candle once.</item>
/// <item><b>Watchdog and heartbeat.</b> The market streams must deliver within <see cref="LiveSettings.MarketSilence"/>;
/// the API session is pinged every <see cref="LiveSettings.HeartbeatInterval"/> and must answer something within three.
/// A silent one is aborted and reconnected however alive its socket looks.</item>
/// <item><b>Periodic reconciliation.</b> Every <see cref="LiveSettings.ReconcileInterval"/> each open order is checked
/// (<c>order.status</c>; its trades by <c>myTrades</c> when the venue executed more than was reported): lost execution
/// reports are found by query.</item>
/// <item><b>Clock.</b> The offset to the venue's clock is measured again every <see cref="LiveSettings.ClockInterval"/>
/// (and at once after a −1021) with the WebSocket API's <c>time</c>.</item>
/// <item><b>Bad input.</b> Frames that do not parse, or of a kind this client does not know, are counted
/// (<see cref="LiveMetrics.BadFrames"/>), logged once per kind per minute, and skipped.</item>
/// </list>
/// </summary>
public sealed partial class LiveEngine
{
    private static readonly Callback<LiveEngine> OnApiReconnectTimer = (e, loop, c, in r) => e.ApiReconnectDue(r);
    private static readonly Callback<LiveEngine> OnMarketReconnectTimer = (e, loop, c, in r) => e.MarketReconnectDue(r);
    private static readonly Callback<LiveEngine> OnHeartbeatTimer = (e, loop, c, in r) => e.Heartbeat(r);
    private static readonly Callback<LiveEngine> OnMarketWatchTimer = (e, loop, c, in r) => e.MarketWatch(r);
    private static readonly Callback<LiveEngine> OnReconcileTimer = (e, loop, c, in r) => e.PeriodicReconcile(r);
    private static readonly Callback<LiveEngine> OnClockTimer = (e, loop, c, in r) => e.ClockTick(r);
    private static readonly Callback<LiveEngine> OnGapFilled = (e, loop, c, in r) => e.GapFilled(r);
    private static readonly Callback<LiveEngine> OnGapWait = (e, loop, c, in r) => e.GapWaitDue(r);
    private static readonly RequestCost ConnectCost = new(2);
    private static readonly RequestCost KlinesCost = new(2);

    private readonly ApiFrameParser _apiParser;
    private readonly string[] _streams;
    private readonly RateLimiter _limiter;
    private readonly Completion _apiReconnectTimer = new();
    private readonly Completion _marketReconnectTimer = new();
    private readonly Completion _heartbeatTimer = new();
    private readonly Completion _marketWatchTimer = new();
    private readonly Completion _reconcileTickTimer = new();
    private readonly Completion _clockTimer = new();
    private readonly Completion _gapFill = new();
    private readonly Completion _gapWaitTimer = new();
    private readonly Dictionary<string, long> _badFrameLogged = new(StringComparer.Ordinal);
    private readonly List<Candle> _heldCandles = [];
    private ReconnectBackoff? _apiBackoff;
    private ReconnectBackoff? _marketBackoff;
    private StreamWatchdog? _marketDog;
    private StreamWatchdog? _apiDog;
    private int _apiGeneration;
    private int _marketGeneration;
    private bool _apiEverConnected;
    private bool _marketEverConnected;
    private bool _apiSubscribed;
    private bool _gapFilling;
    private bool _lockstepResync;
    private long _endedMarketMessages;
    private long _endedMalformed;
    private long _endedRateDeferred;
    private long _clockRequestId;
    private long _clockSentAt;

    /// <summary>Half the round trip of the sample <see cref="_clockOffset"/> came from (ms): how far off it can be.</summary>
    private long _clockUncertainty = long.MaxValue;
    private long _marketControlId;
    private long _gapEnd;

    /// <summary>The gap fill's <c>klines</c> request on the WebSocket API (0: none in flight).</summary>
    private long _gapRequestId;
    private byte[]? _intervalBytes;
    private bool _apiShutdownAnnounced;
    private bool _marketShutdownAnnounced;

    /// <summary>The REST client for gap fills (LiveSession sets it; without it a reconnect fills no gap).</summary>
    internal BinanceRest? Rest { get; set; }

    /// <summary>The client-side rate limiter (built from exchangeInfo's rateLimits).</summary>
    public RateLimiter Limiter => _limiter;

    /// <summary>WebSocket API sessions opened after the first.</summary>
    public int ApiReconnects { get; private set; }

    /// <summary>Market stream connections opened after the first.</summary>
    public int MarketReconnects { get; private set; }

    /// <summary>Closed candles the strategy got from REST after a market reconnect (the gap fill).</summary>
    public int GapCandles { get; private set; }

    /// <summary>Frames skipped as malformed, truncated or unknown, over every connection of the run.</summary>
    public long BadFrames { get; private set; }

    /// <summary>The current clock offset to the venue (ms; venue = local + offset).</summary>
    public long ClockOffset => _clockOffset;

    private long MarketMessagesTotal => _endedMarketMessages + _market.Messages;

    private long RateDeferredTotal => _endedRateDeferred + _api.RateDeferred;

    private long MalformedFramesTotal => _endedMalformed + _market.MalformedFrames + _api.MalformedFrames;

    private long LoopMs => (long)_loop.Now.TotalMilliseconds;

    private ApiSession NewApiSession()
    {
        _apiBackoff ??= new ReconnectBackoff(_settings.ReconnectInitial, _settings.ReconnectMax, TimeSpan.FromSeconds(30), seed: Environment.TickCount);
        _apiDog ??= new StreamWatchdog(_settings.HeartbeatInterval, tolerance: 3);
        var first = _api?.LastId ?? 0;
        _apiGeneration++;
        return new ApiSession(_loop, _settings.Endpoints.WebSocketApiUrl, _apiParser, new ApiListener(this, _apiGeneration),
            _settings.RequestTimeout, _limiter, VenueNow, first);
    }

    private MarketStream NewMarketStream()
    {
        _marketBackoff ??= new ReconnectBackoff(_settings.ReconnectInitial, _settings.ReconnectMax, TimeSpan.FromSeconds(30), seed: Environment.TickCount + 1);
        if (_settings.MarketSilence is { } silence)
        {
            _marketDog ??= new StreamWatchdog(silence, tolerance: 1);
        }

        _marketGeneration++;
        return new MarketStream(_loop, _settings.Endpoints.Combined(_streams), new MarketListener(this, _marketGeneration), WallNow);
    }

    /// <summary>Connects the API session, or (over the rate limit) arms the reconnect timer for when it may.</summary>
    private void StartApi()
    {
        if (!_limiter.TryAcquire(ConnectCost, VenueNow(), out var at))
        {
            _loop.Timer(_apiReconnectTimer, TimeSpan.FromMilliseconds(Math.Max(50, at - VenueNow())), this, OnApiReconnectTimer);
            return;
        }

        _api.Start(_settings.ConnectTimeout);
    }

    private void StartMarket()
    {
        if (!_limiter.TryAcquire(ConnectCost, VenueNow(), out var at))
        {
            _loop.Timer(_marketReconnectTimer, TimeSpan.FromMilliseconds(Math.Max(50, at - VenueNow())), this, OnMarketReconnectTimer);
            return;
        }

        _market.Start(_settings.ConnectTimeout);
    }

    private void CancelConnectionTimers()
    {
        _loop.Cancel(_apiReconnectTimer);
        _loop.Cancel(_marketReconnectTimer);
        _loop.Cancel(_heartbeatTimer);
        _loop.Cancel(_marketWatchTimer);
        _loop.Cancel(_reconcileTickTimer);
        _loop.Cancel(_clockTimer);
        _loop.Cancel(_gapFill);
        _loop.Cancel(_gapWaitTimer);
        _loop.Cancel(_reconcileTimer);
    }

    // API session ------------------------------------------------------------------------------------------------

    /// <summary>The API session is up (first or again): the heartbeat starts, the user data stream is subscribed.</summary>
    private void ApiUp()
    {
        _apiEverConnected = true;
        _apiSubscribed = false;
        _apiBackoff!.OnConnected(LoopMs);
        _apiDog!.Reset(LoopMs);
        if (_heartbeatTimer.State == CompletionState.Dead)
        {
            _loop.Timer(_heartbeatTimer, _settings.HeartbeatInterval, this, OnHeartbeatTimer);
        }
    }

    /// <summary>The API session ended while trading, or while stopping with orders still to settle (a stop waits for
    /// them, bounded by its timeout): true when a reconnect was scheduled (the caller does nothing more).</summary>
    private bool ApiLost(string why, bool routine)
    {
        if (_phase > Phase.Stopping || !_apiEverConnected || (_phase == Phase.Stopping && !AnyUnresolved()))
        {
            return false;
        }

        _apiSubscribed = false;
        _loop.Cancel(_heartbeatTimer);
        _apiBackoff!.OnDisconnected(LoopMs, routine);
        if (_apiBackoff.Attempt >= _settings.MaxReconnectAttempts)
        {
            return false;
        }

        var delay = _apiBackoff.NextDelay();
        _observer.OnConnection($"WebSocket API lost ({why}); reconnecting in {delay.TotalMilliseconds:0} ms");
        if (_apiReconnectTimer.State == CompletionState.Dead)
        {
            _loop.Timer(_apiReconnectTimer, delay, this, OnApiReconnectTimer);
        }

        return true;
    }

    private CallbackAction ApiReconnectDue(in CompletionResult r)
    {
        if (r.IsCanceled || _phase > Phase.Stopping)
        {
            return CallbackAction.Disarm;
        }

        if (!_limiter.TryAcquire(ConnectCost, VenueNow(), out _))
        {
            return CallbackAction.Rearm; // over the limit: try again after the same pause
        }

        _endedMalformed += _api.MalformedFrames;
        _endedRateDeferred += _api.RateDeferred;
        _api = NewApiSession();
        _apiClosed = false;
        ApiReconnects++;
        _api.Start(_settings.ConnectTimeout);
        return CallbackAction.Disarm;
    }

    /// <summary>The user data stream is subscribed again after a reconnect: every open order is checked, unknown outcomes settled.</summary>
    private void ApiResubscribed()
    {
        _observer.OnConnection("user data stream subscribed again");
        ReconcileOpenOrders();
    }

    /// <summary>order.status for every open order with nothing in flight (a cancel that never left is sent again).</summary>
    private void ReconcileOpenOrders()
    {
        foreach (var o in _orders.OpenLiveOrders.ToArray())
        {
            if (o.PendingRequestId != 0 || _held.Contains(o.Sequence))
            {
                continue;
            }

            if (o.State == LiveOrderState.PendingCancel)
            {
                ResendCancel(o);
            }
            else if (o.VenueOrderId != 0 && o.VenueExecutedQuantity > o.AppliedQuantity)
            {
                SendTrades(o);
            }
            else
            {
                SendStatus(o);
            }
        }
    }

    private CallbackAction Heartbeat(in CompletionResult r)
    {
        if (r.IsCanceled || _phase >= Phase.Closing)
        {
            return CallbackAction.Disarm;
        }

        if (!_api.IsOpen)
        {
            return CallbackAction.Rearm;
        }

        if (_apiDog!.IsStale(LoopMs))
        {
            _api.Abort($"no answer from the WebSocket API for {_apiDog.AllowedSilence.TotalSeconds:0} s");
            return CallbackAction.Disarm;
        }

        var id = _api.NextId();
        _api.Send(id, _writer.Unsigned(id, "ping"u8), RequestKind.Ping, 0);
        MaybeArmSettle(); // a backstop: whatever put an order in doubt, it is settled within a heartbeat
        return CallbackAction.Rearm;
    }

    private void StartTradingTimers()
    {
        if (_settings.ReconcileInterval is { } every && _reconcileTickTimer.State == CompletionState.Dead)
        {
            _loop.Timer(_reconcileTickTimer, every, this, OnReconcileTimer);
        }

        if (_clockTimer.State == CompletionState.Dead)
        {
            _loop.Timer(_clockTimer, _settings.ClockInterval, this, OnClockTimer);
        }
    }

    private CallbackAction PeriodicReconcile(in CompletionResult r)
    {
        if (r.IsCanceled || _phase >= Phase.Closing)
        {
            return CallbackAction.Disarm;
        }

        if (_api.IsOpen && _apiSubscribed)
        {
            ReconcileOpenOrders();
        }

        MaybeArmSettle();
        return CallbackAction.Rearm;
    }

    /// <summary>A cancel for an order already PendingCancel (its first request was refused for the rate, or never left).</summary>
    private void ResendCancel(LiveOrder order)
    {
        Span<byte> clientId = stackalloc byte[40];
        var n = _ids.Format(order.Sequence, clientId);
        var id = _api.NextId();
        if (_api.Send(id, _writer.Cancel(id, clientId[..n], VenueNow()), RequestKind.Cancel, order.Sequence))
        {
            order.PendingRequestId = id;
        }
    }

    /// <summary><c>myTrades</c> for one order: the fills whose reports were lost.</summary>
    private void SendTrades(LiveOrder order)
    {
        var id = _api.NextId();
        if (_api.Send(id, _writer.MyTrades(id, order.VenueOrderId, 0, 1000, VenueNow()), RequestKind.Trades, order.Sequence))
        {
            order.PendingRequestId = id;
        }
    }

    /// <summary>The trades of one order: each one not yet applied is applied as the execution report that was lost.</summary>
    private void OnTradesAnswer(in PendingRequest request, ApiFrame frame, ReadOnlySpan<byte> json)
    {
        ClearPending(request);
        if (!frame.IsSuccess || !_orders.TryGet(request.Sequence, out var o))
        {
            return;
        }

        List<Reconcile.VenueTrade> trades;
        try
        {
            trades = VenueQueryParser.Trades(frame.Result(json), Instrument.BaseAsset, Instrument.QuoteAsset);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            CountBadFrame("myTrades answer", e.Message);
            return;
        }

        foreach (var t in trades.Where(t => t.OrderId == o.VenueOrderId).OrderBy(t => t.TradeId))
        {
            var report = new ExecutionReport
            {
                Sequence = o.Sequence, ExecutionType = ExecutionType.Trade, OrderId = t.OrderId, Side = t.Side, TradeId = t.TradeId,
                LastQuantity = t.Quantity, LastPrice = t.Price, Commission = t.Commission, CommissionAsset = t.CommissionAsset,
                IsMaker = t.IsMaker, TransactionTime = t.Time, CumulativeQuantity = o.VenueExecutedQuantity,
                Status = VenueOrderStatus.PartiallyFilled,
            };
            _orders.OnExecutionReport(report);
        }

        MaybeFinishStop();
    }

    // Clock ------------------------------------------------------------------------------------------------------

    private CallbackAction ClockTick(in CompletionResult r)
    {
        if (r.IsCanceled || _phase >= Phase.Closing)
        {
            return CallbackAction.Disarm;
        }

        MeasureClock();
        return CallbackAction.Rearm;
    }

    private void MeasureClock()
    {
        if (!_api.IsOpen || _clockRequestId != 0)
        {
            return;
        }

        _clockRequestId = _api.NextId();
        _clockSentAt = WallNow();
        _api.Send(_clockRequestId, _writer.Unsigned(_clockRequestId, "time"u8), RequestKind.Time, 0);
    }

    private void OnClockAnswer(in PendingRequest request, ApiFrame frame, ReadOnlySpan<byte> json)
    {
        if (request.Id != _clockRequestId)
        {
            return;
        }

        _clockRequestId = 0;
        if (!frame.IsSuccess)
        {
            return;
        }

        try
        {
            var server = VenueQueryParser.ServerTime(frame.Result(json));
            var now = WallNow();
            // The round trip from when the request left (it may have waited for the rate limiter first); without that
            // moment, from when it was sent.
            var roundTrip = request.SentTicks > 0
                ? Math.Max(0, (_loop.Now.Ticks - request.SentTicks) / TimeSpan.TicksPerMillisecond)
                : Math.Max(0, now - _clockSentAt);
            var offset = server - (now - (roundTrip / 2));
            var old = _clockOffset;
            if (!ClockSample.Improves(old, _clockUncertainty, offset, roundTrip / 2))
            {
                return;
            }

            _clockOffset = offset;
            _clockUncertainty = roundTrip / 2;
            if (Math.Abs(offset - old) >= 500)
            {
                _observer.OnConnection($"clock offset to the venue now {offset} ms (was {old} ms)");
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            CountBadFrame("time answer", e.Message);
        }
    }

    // Bad input --------------------------------------------------------------------------------------------------

    /// <summary>Counts a skipped frame; logs it once per kind per minute (a flood of garbage must not flood the log).</summary>
    private void CountBadFrame(string kind, string detail)
    {
        BadFrames++;
        Metrics.BadFrames.Add(1);
        var now = LoopMs;
        if (_badFrameLogged.TryGetValue(kind, out var last) && now - last < 60_000)
        {
            return;
        }

        _badFrameLogged[kind] = now;
        Log.Log(StrategyLogLevel.Warning, $"{kind}: skipped ({detail}); {BadFrames} bad frames so far");
    }

    // Listeners --------------------------------------------------------------------------------------------------

    /// <summary>One API session's callbacks: those of a session that was replaced are ignored.</summary>
    private sealed class ApiListener(LiveEngine e, int generation) : IApiListener
    {
        private bool Current => e._apiGeneration == generation;

        public void OnApiConnected()
        {
            if (Current)
            {
                e.OnApiConnected();
            }
        }

        public void OnResponse(in PendingRequest request, ApiFrame frame, ReadOnlySpan<byte> json)
        {
            if (!Current)
            {
                return;
            }

            e._apiDog?.OnMessage(e.LoopMs);
            if (!e.InLockstep || !e.OnLockstepAnswer(request))
            {
                e.OnResponse(request, frame, json);
            }

            e.MaybeArmSettle();
            e.LockstepCheck();
        }

        public void OnUnanswered(in PendingRequest request, string why)
        {
            if (!Current)
            {
                return;
            }

            if (!e.InLockstep || !e.OnLockstepAnswer(request))
            {
                e.OnUnanswered(request, why);
            }

            e.MaybeArmSettle();
            e.LockstepCheck();
        }

        public void OnNotSent(in PendingRequest request, string why)
        {
            if (!Current)
            {
                return;
            }

            if (!e.InLockstep || !e.OnLockstepAnswer(request))
            {
                e.OnNotSent(request, why);
            }

            e.MaybeArmSettle();
            e.LockstepCheck();
        }

        public void OnUserEvent(ApiFrame frame)
        {
            if (Current)
            {
                e._apiDog?.OnMessage(e.LoopMs);
                e.OnUserEvent(frame);
                e.MaybeArmSettle();
                e.LockstepCheck();
            }
        }

        public void OnApiClosed(string? error)
        {
            if (Current)
            {
                e.OnApiClosed(error);
            }
        }

        public void OnBadFrame(string kind, string detail)
        {
            if (Current)
            {
                e.CountBadFrame(kind, detail);
            }
        }
    }

    /// <summary>One market connection's callbacks: those of a connection that was replaced are ignored.</summary>
    private sealed class MarketListener(LiveEngine e, int generation) : IMarketListener
    {
        private bool Current => e._marketGeneration == generation;

        public void OnMarketConnected()
        {
            if (Current)
            {
                e.OnMarketConnected();
            }
        }

        public void OnMarket(ref MarketMessage message)
        {
            if (Current)
            {
                e._marketDog?.OnMessage(e.LoopMs);
                e.TapMarket(ref message);
                e.OnMarket(ref message);
                e.LockstepCheck();
            }
        }

        public void OnMarketClosed(string? error)
        {
            if (Current)
            {
                e.OnMarketClosed(error);
            }
        }

        public void OnBadFrame(string kind, string detail)
        {
            if (Current)
            {
                e._marketDog?.OnMessage(e.LoopMs); // garbage is still a sign of life; its content is skipped
                e.CountBadFrame(kind, detail);
            }
        }

        public void OnSubscriptionsVerified(bool ok, string detail)
        {
            if (Current)
            {
                e.OnSubscriptionsVerified(ok, detail);
            }
        }
    }
}
