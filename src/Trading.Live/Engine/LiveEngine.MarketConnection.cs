using System.Text;
using System.Text.Json;
using EventLoop;
using Trading.Core.Market;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Connection;

namespace Trading.Live.Engine;
/// <summary>
/// The market stream's side of the connections' upkeep (see LiveEngine.Connection.cs): its session coming up and
/// going down, the reconnect, the silence watchdog, the subscription check, and the gap fill from REST klines that
/// holds the stream's closed candles meanwhile, so the strategy sees every closed candle once and in order.
/// </summary>
public sealed partial class LiveEngine
{
    private void MarketUp()
    {
        _marketBackoff!.OnConnected(LoopMs);
        _market.VerifySubscriptions(_streams, ++_marketControlId);
        if (_marketDog is { } dog)
        {
            dog.Reset(LoopMs);
            if (_marketWatchTimer.State == CompletionState.Dead)
            {
                ArmMarketWatch(dog);
            }
        }

        if (_marketEverConnected)
        {
            // Lockstep: the events stepped while the stream was down are lost (their candles come from the gap fill);
            // the next idle check counts them as handled, or the pump would wait for them forever.
            _lockstepResync = InLockstep;
            _observer.OnConnection("market streams connected again");
        }

        _marketEverConnected = true;
    }

    private bool MarketLost(string why, bool routine)
    {
        if (_phase >= Phase.Stopping || !_marketEverConnected)
        {
            return false;
        }

        _loop.Cancel(_marketWatchTimer);
        _marketBackoff!.OnDisconnected(LoopMs, routine);
        if (_marketBackoff.Attempt >= _settings.MaxReconnectAttempts)
        {
            return false;
        }

        var delay = _marketBackoff.NextDelay();
        _observer.OnConnection($"market streams lost ({why}); reconnecting in {delay.TotalMilliseconds:0} ms");
        if (_marketReconnectTimer.State == CompletionState.Dead)
        {
            _loop.Timer(_marketReconnectTimer, delay, this, OnMarketReconnectTimer);
        }

        return true;
    }

    private CallbackAction MarketReconnectDue(in CompletionResult r)
    {
        if (r.IsCanceled || _phase >= Phase.Stopping)
        {
            return CallbackAction.Disarm;
        }

        if (!_limiter.TryAcquire(ConnectCost, VenueNow(), out _))
        {
            return CallbackAction.Rearm;
        }

        if (_marketEverConnected)
        {
            _endedMarketMessages += _market.Messages;
            _endedMalformed += _market.MalformedFrames;
            _market = NewMarketStream();
            _marketClosed = false;
            MarketReconnects++;
        }

        _market.Start(_settings.ConnectTimeout);
        return CallbackAction.Disarm;
    }

    private CallbackAction MarketWatch(in CompletionResult r)
    {
        if (r.IsCanceled || _phase >= Phase.Closing || _marketDog is not { } dog)
        {
            return CallbackAction.Disarm;
        }

        if (_market.IsOpen && dog.IsStale(LoopMs))
        {
            _market.Abort($"no market data for {dog.AllowedSilence.TotalSeconds:0.#} s");
            return CallbackAction.Disarm;
        }

        ArmMarketWatch(dog); // the completion is dead inside its own callback: armed again for the moved deadline
        return CallbackAction.Disarm;
    }

    /// <summary>One timer per market connection, for the watchdog's deadline (the last message + the allowed silence),
    /// not a periodic poll: a stream that delivers wakes it once per allowed silence, and a silent one is caught at
    /// the deadline itself.</summary>
    private void ArmMarketWatch(StreamWatchdog dog)
    {
        var due = Math.Max(50, dog.Deadline + 1 - LoopMs); // IsStale is strictly after the deadline
        _loop.Timer(_marketWatchTimer, TimeSpan.FromMilliseconds(due), this, OnMarketWatchTimer);
    }

    private void OnSubscriptionsVerified(bool ok, string detail)
    {
        if (ok)
        {
            _marketBackoff!.OnProved();
            _observer.OnConnection("market subscriptions verified: " + detail);
            return;
        }

        // The venue does not deliver what was asked for: a fresh connection asks again.
        Log.Log(StrategyLogLevel.Warning, $"market subscriptions not in effect ({detail}); reconnecting");
        _market.Abort("subscriptions not in effect: " + detail);
    }

    /// <summary>
    /// A kline from the stream. Each one tells which bucket the stream is in (closed or forming): when that is past the
    /// bucket after the last candle delivered (a reconnect, a closed kline frame that did not parse), every bucket in
    /// between is fetched (<see cref="FetchGap"/>: over the WebSocket API, REST while it is down),
    /// and closed candles from the stream are held until the fill is delivered, so candles reach the strategy in order
    /// and each once (DeliverCandle drops what is not newer than the last delivered).
    /// </summary>
    private void OnLiveKline(in Candle candle, bool closed)
    {
        if (!_gapFilling)
        {
            // After a reconnect, or a closed kline frame lost to garbage: a bucket past the next expected one means a gap.
            StartGapFill(candle.OpenTime);
        }

        if (!closed)
        {
            return;
        }

        if (_gapFilling)
        {
            _heldCandles.Add(candle);
            return;
        }

        DeliverCandle(candle, warmup: false);
    }

    private void StartGapFill(long streamBucket)
    {
        var since = _lastCandleOpen + _settings.IntervalMs;
        if (Rest is null || _lastCandleOpen == long.MinValue || streamBucket <= since)
        {
            return;
        }

        _gapFilling = true;
        _gapEnd = streamBucket - 1;
        FetchGap();
    }

    /// <summary>
    /// The klines of the gap. Over the WebSocket API when it is open: the request then takes its place in the session's
    /// ordered pipeline and rate limiter like any other, and a 429 for it is read in order with the rest. Over REST a 429
    /// reached the loop only after HttpClient, the thread pool and a post — milliseconds in which the session's pipeline
    /// kept sending, every request of which the venue counts against a ban (the soak was banned so: 8 requests in 7 ms).
    /// REST (through <c>Loop.Await</c>, once the rate limiter lets a request of its weight leave: REST shares the venue's
    /// limits) is the fallback while the WebSocket API is down; the stream's closed candles are held meanwhile.
    /// </summary>
    private void FetchGap()
    {
        var since = _lastCandleOpen + _settings.IntervalMs;
        var end = _gapEnd;
        var limit = (int)Math.Clamp(((end + 1 - since) / _settings.IntervalMs) + 1, 1, 1000);
        if (_api.IsOpen)
        {
            var id = _api.NextId();
            if (_api.Send(id, _writer.Klines(id, _intervalBytes ??= Encoding.ASCII.GetBytes(_settings.Interval), since, end, limit), RequestKind.Klines, 0))
            {
                _gapRequestId = id;
                return;
            }
        }

        _gapRequestId = 0;
        if (Rest is not { } rest)
        {
            GapDelivered(null, "the WebSocket API is down and there is no REST endpoint");
            return;
        }

        if (!_limiter.TryAcquire(KlinesCost, VenueNow(), out var at))
        {
            _loop.Timer(_gapWaitTimer, TimeSpan.FromMilliseconds(Math.Clamp(at - VenueNow(), 20, 1_000)), this, OnGapWait);
            return;
        }

        var symbol = _settings.Symbol;
        var interval = _settings.Interval;
        _loop.Await<LiveEngine, List<Candle>>(_gapFill, this, (e, token) => rest.KlinesRangeAsync(symbol, interval, since, end, limit, token),
            _settings.ConnectTimeout, OnGapFilled);
    }

    private CallbackAction GapWaitDue(in CompletionResult r)
    {
        if (r.IsCanceled)
        {
            _gapFilling = false;
            _heldCandles.Clear();
            return CallbackAction.Disarm;
        }

        FetchGap();
        return CallbackAction.Disarm;
    }

    /// <summary>The WebSocket API's answer to the gap's <c>klines</c>; a 429 asks again (the limiter holds it back).</summary>
    private void OnGapAnswer(in PendingRequest request, ApiFrame frame, ReadOnlySpan<byte> json)
    {
        if (request.Id != _gapRequestId || !_gapFilling)
        {
            return; // a fill that ended another way (the stop, an earlier answer)
        }

        _gapRequestId = 0;
        if (IsRateLimited(frame))
        {
            FetchGap();
            return;
        }

        if (!frame.IsSuccess)
        {
            GapDelivered(null, $"{frame.ErrorCode} {frame.ErrorMessage}");
            return;
        }

        List<Candle> candles;
        try
        {
            candles = KlineArrayParser.Parse(frame.Result(json));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            CountBadFrame("klines answer", e.Message);
            GapDelivered(null, "unreadable answer");
            return;
        }

        GapDelivered(candles, null);
    }

    /// <summary>The gap's klines request ended without an answer (the session ended) or never left: ask again, over
    /// whichever way is open now.</summary>
    private void OnGapUnanswered(in PendingRequest request)
    {
        if (request.Id == _gapRequestId && _gapFilling)
        {
            _gapRequestId = 0;
            FetchGap();
        }
    }

    private CallbackAction GapFilled(in CompletionResult r)
    {
        if (r.IsCanceled)
        {
            _gapFilling = false;
            _heldCandles.Clear();
            return CallbackAction.Disarm;
        }

        if (r.Exception is BinanceRestException { IsRateLimited: true } limited)
        {
            // Not executed: the limiter holds everything (this too) until the Retry-After has passed, then ask again.
            var now = VenueNow();
            if (limited.Status == 418)
            {
                _limiter.OnBanned(now, limited.RetryAfter ?? TimeSpan.FromMinutes(2));
            }
            else
            {
                _limiter.OnRateLimited(now, limited.RetryAfter is { } after ? after + TimeSpan.FromMilliseconds(250) : null);
            }

            FetchGap();
            return CallbackAction.Disarm;
        }

        GapDelivered(r.IsSuccess ? r.Value as List<Candle> : null, r.Exception?.Message ?? "timed out");
        return CallbackAction.Disarm;
    }

    /// <summary>The gap's candles in order, then the stream's held ones; without the fill (<paramref name="candles"/>
    /// null) one warning says why and the held ones go on.</summary>
    private void GapDelivered(List<Candle>? candles, string? failure)
    {
        _gapFilling = false;
        if (candles is not null)
        {
            foreach (var c in candles)
            {
                if (c.OpenTime > _lastCandleOpen)
                {
                    GapCandles++;
                    DeliverCandle(c, warmup: false);
                }
            }
        }
        else
        {
            Log.Log(StrategyLogLevel.Warning, $"gap fill of klines failed: {failure}; candles may be missing");
        }

        foreach (var c in _heldCandles)
        {
            DeliverCandle(c, warmup: false);
        }

        _heldCandles.Clear();
    }
}
