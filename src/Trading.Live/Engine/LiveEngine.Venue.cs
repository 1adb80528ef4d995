using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Orders;

namespace Trading.Live.Engine;

/// <summary>The engine's side of the two connections: WebSocket API answers and events, and market frames.</summary>
public sealed partial class LiveEngine
{
    private void OnApiConnected()
    {
        var again = _apiEverConnected;
        ApiUp();
        _observer.OnConnection(again ? "WebSocket API connected again" : "WebSocket API connected");
        var id = _api.NextId();
        _api.Send(id, _writer.SubscribeUserData(id, VenueNow()), RequestKind.SubscribeUserData, 0);
    }

    private void OnResponse(in PendingRequest request, ApiFrame frame, ReadOnlySpan<byte> json)
    {
        if (frame.ErrorCode == -1021)
        {
            MeasureClock(); // the timestamp fell outside the receive window: the clock offset moved
        }

        switch (request.Kind)
        {
            case RequestKind.SubscribeUserData when IsRateLimited(frame):
            case RequestKind.AccountStatus when IsRateLimited(frame):
                // Not executed: ask again; the limiter holds it back until the Retry-After has passed.
                var again = _api.NextId();
                _api.Send(again, request.Kind == RequestKind.SubscribeUserData ? _writer.SubscribeUserData(again, VenueNow()) : _writer.AccountStatus(again, VenueNow()),
                    request.Kind, 0);
                return;
            case RequestKind.Cancel when IsRateLimited(frame):
                ClearPending(request);
                if (_orders.TryGet(request.Sequence, out var limited) && !limited.IsFinal)
                {
                    ResendCancel(limited); // not executed: still to cancel
                }

                return;
            case RequestKind.SubscribeUserData:
                if (!frame.IsSuccess)
                {
                    Stop(LiveStopReason.Failed, $"user data subscription refused: {frame.ErrorCode} {frame.ErrorMessage}");
                    return;
                }

                var wasSubscribed = _strategyStarted;
                _apiSubscribed = true;
                _apiBackoff!.OnProved();
                if (wasSubscribed)
                {
                    ApiResubscribed();
                    return;
                }

                _observer.OnConnection("user data stream subscribed");
                _loop.Cancel(_reconcileTimer);
                if (NeedsRestartReconcile)
                {
                    StartReconcile();
                    return;
                }

                var id = _api.NextId();
                _api.Send(id, _writer.AccountStatus(id, VenueNow()), RequestKind.AccountStatus, 0);
                return;
            case RequestKind.AccountStatus:
                if (!frame.IsSuccess)
                {
                    Stop(LiveStopReason.Failed, $"account.status refused: {frame.ErrorCode} {frame.ErrorMessage}");
                    return;
                }

                // frame.Result is the answer's "result" JSON (a slice of the frame already received), not a Task's Result.
                var (quote, @base, taker) = ReadAccount(frame.Result(json));
                ReserveJournalSequences();
                BeginTrading(quote, @base, taker);
                return;
            case RequestKind.Place:
                OnPlaceResponse(request, frame, json);
                return;
            case RequestKind.PlaceOco:
                OnOcoResponse(request, frame);
                return;
            case RequestKind.Cancel:
                ClearPending(request);
                if (frame.IsSuccess)
                {
                    _orders.OnCancelAnswer(_orderParser.ReadOne(frame.Result(json)));
                }
                else if (IsUnknownOutcome(frame))
                {
                    _needsStatus.Add(request.Sequence);
                }
                else
                {
                    // Typically -2011: the order ended first (a fill won the race, or it was never placed). Ask how at once;
                    // its reports may have been lost.
                    _orders.OnCancelRejected(request.Sequence);
                    if (_orders.TryGet(request.Sequence, out var refused) && !refused.IsFinal && refused.PendingRequestId == 0)
                    {
                        SendStatus(refused);
                    }
                }

                MaybeFinishStop();
                return;
            case RequestKind.Status:
                ClearPending(request);
                if (frame.IsSuccess)
                {
                    if (!TryAsQueried(_orderParser.ReadOne(frame.Result(json)), request.Sequence, out var answer))
                    {
                        MaybeFinishStop();
                        return;
                    }

                    _orders.OnStatus(answer);
                    if (_orders.TryGet(request.Sequence, out var queried) && !queried.IsFinal && queried.PendingRequestId == 0
                        && queried.VenueOrderId != 0 && queried.VenueExecutedQuantity > queried.AppliedQuantity)
                    {
                        SendTrades(queried); // the venue executed more than was reported: the reports were lost
                    }
                }
                else if (frame.ErrorCode == -2013)
                {
                    _orders.OnStatusNotFound(request.Sequence, Now);
                }

                MaybeFinishStop();
                return;
            case RequestKind.Trades:
                OnTradesAnswer(request, frame, json);
                return;
            case RequestKind.Time:
                OnClockAnswer(request, frame, json);
                return;
            case RequestKind.Klines:
                OnGapAnswer(request, frame, json);
                return;
            case RequestKind.ReconcileOpenOrders:
            case RequestKind.ReconcileStatus:
            case RequestKind.ReconcileTrades:
            case RequestKind.ReconcileAccount:
                OnReconcileAnswer(request, frame, json);
                return;
            default:
                return;
        }
    }

    private void OnPlaceResponse(in PendingRequest request, ApiFrame frame, ReadOnlySpan<byte> json)
    {
        ClearPending(request);
        if (frame.IsSuccess)
        {
            _orders.OnPlaceAnswer(_orderParser.ReadOne(frame.Result(json)));
        }
        else if (IsUnknownOutcome(frame))
        {
            // The venue may have placed it: settle by query (never by sending it again).
            _orders.OnPlaceUnknown(request.Sequence);
            JournalUnknown(request.Sequence, $"venue: {frame.ErrorCode} {frame.ErrorMessage}");
            if (_orders.TryGet(request.Sequence, out var o))
            {
                SendStatus(o);
            }
        }
        else
        {
            _orders.OnPlaceRejected(request.Sequence, $"venue: {frame.ErrorCode} {frame.ErrorMessage}", Now);
        }

        MaybeFinishStop();
    }

    /// <summary>
    /// An order.status answer, as the answer about the order of <paramref name="sequence"/>: it was asked for by that
    /// order's client id and the venue looked it up by it. Its own <c>clientOrderId</c> does not say so once the order is
    /// canceled — the venue then gives the cancel's <c>newClientOrderId</c> (Binance generates one when the cancel names
    /// none) — and matching by it dropped the answer as foreign: an order canceled at the venue whose cancel answer and
    /// report were both lost stayed working here for good, every cancel refused −2011 and every query ignored. False (the
    /// answer is ignored, counted) when the venue's order id contradicts the one known for the order.
    /// </summary>
    private bool TryAsQueried(VenueOrder answer, long sequence, out VenueOrder asQueried)
    {
        asQueried = answer;
        if (!_orders.TryGet(sequence, out var o) || (o.VenueOrderId != 0 && answer.OrderId != 0 && answer.OrderId != o.VenueOrderId))
        {
            CountBadFrame("order.status answer about another order", $"asked about {o?.VenueId ?? sequence.ToString(CultureInfo.InvariantCulture)}, answered order {answer.OrderId}");
            return false;
        }

        asQueried.Sequence = sequence;
        asQueried.OriginalSequence = 0;
        return true;
    }

    /// <summary>429 / −1003: refused for the request rate, not executed (a 418 is the same, with a ban).</summary>
    private static bool IsRateLimited(ApiFrame frame) => frame.Status is 429 or 418 || frame.ErrorCode == -1003;

    /// <summary>5xx, −1006 and −1007 say the execution status is unknown (binance.md §2.1, §7).</summary>
    private static bool IsUnknownOutcome(ApiFrame frame) => frame.Status >= 500 || frame.ErrorCode is -1006 or -1007;

    private void OnUnanswered(in PendingRequest request, string why)
    {
        switch (request.Kind)
        {
            case RequestKind.Place:
                ClearPending(request);
                _orders.OnPlaceUnknown(request.Sequence);
                JournalUnknown(request.Sequence, why);
                Log.Log(StrategyLogLevel.Warning, $"order {request.Sequence}: {why}; outcome unknown, will query");
                break;
            case RequestKind.Cancel:
            case RequestKind.Status:
            case RequestKind.Trades:
                ClearPending(request);
                _needsStatus.Add(request.Sequence);
                break;
            case RequestKind.PlaceOco:
                OnOcoUnanswered(request, why);
                break;
            case RequestKind.Klines:
                OnGapUnanswered(request);
                break;
            case RequestKind.Time:
                if (request.Id == _clockRequestId)
                {
                    _clockRequestId = 0;
                }

                break;
            case RequestKind.ReconcileOpenOrders:
            case RequestKind.ReconcileStatus:
            case RequestKind.ReconcileTrades:
            case RequestKind.ReconcileAccount:
                OnReconcileUnanswered(request, why);
                break;
            case RequestKind.SubscribeUserData:
            case RequestKind.AccountStatus:
                if (_api.IsOpen)
                {
                    // Unanswered on an open connection: a session that does not answer is dead; a new one asks again.
                    _api.Abort($"{request.Kind}: {why}");
                }

                break; // the connection ended: the reconnect asks again
        }

        MaybeFinishStop();
    }

    /// <summary>A request the rate limiter held back and then dropped: it never left, so nothing happened at the venue.</summary>
    private void OnNotSent(in PendingRequest request, string why)
    {
        switch (request.Kind)
        {
            case RequestKind.Place:
                ClearPending(request);
                _orders.OnPlaceRejected(request.Sequence, why, Now);
                break;
            case RequestKind.Cancel:
                ClearPending(request); // still PendingCancel: the periodic check sends it again
                break;
            case RequestKind.SubscribeUserData:
            case RequestKind.AccountStatus:
                if (_api.IsOpen)
                {
                    var again = _api.NextId();
                    _api.Send(again, request.Kind == RequestKind.SubscribeUserData ? _writer.SubscribeUserData(again, VenueNow()) : _writer.AccountStatus(again, VenueNow()),
                        request.Kind, 0);
                }

                return;
            default:
                OnUnanswered(request, why);
                return;
        }

        MaybeFinishStop();
    }

    private void OnUserEvent(ApiFrame frame)
    {
        switch (frame.Kind)
        {
            case ApiFrameKind.ExecutionReport:
                _orders.OnExecutionReport(frame.Execution);
                MaybeFinishStop();
                break;
            case ApiFrameKind.ListStatus:
                OnListStatus(frame.List);
                break;
            case ApiFrameKind.StreamTerminated:
                // The subscription ended (a key change, the venue's side): subscribe again on the same session.
                _observer.OnConnection("the user data stream ended; subscribing again");
                var id = _api.NextId();
                _api.Send(id, _writer.SubscribeUserData(id, VenueNow()), RequestKind.SubscribeUserData, 0);
                break;
            case ApiFrameKind.ServerShutdown:
                // Routine: the server is going away; a new session (and an order check) replaces this one.
                _observer.OnConnection("the venue announced a shutdown of the WebSocket API session");
                _apiShutdownAnnounced = true;
                _api.Abort("serverShutdown");
                break;
        }
    }

    private void OnApiClosed(string? error)
    {
        _apiClosed = true;
        // Routine: the venue's close frame (a lifetime's end) or its announced shutdown, not a drop or a watchdog's abort.
        var routine = error is null || _apiShutdownAnnounced;
        _apiShutdownAnnounced = false;
        if (ApiLost(error ?? "closed by the venue", routine))
        {
            return;
        }

        if (_phase < Phase.Stopping)
        {
            Stop(error is null ? LiveStopReason.VenueClosed : LiveStopReason.Failed, error ?? "the venue closed the WebSocket API connection");
        }

        if (_phase == Phase.Stopping)
        {
            Close();
        }

        MaybeDone();
    }

    private void OnMarketConnected()
    {
        var first = !_marketEverConnected;
        MarketUp();
        if (first)
        {
            _observer.OnConnection(MarketConnected);
            EnterRunning();
            StartTradingTimers();
        }
    }

    private void OnMarket(ref MarketMessage m)
    {
        _tickStart = Stopwatch.GetTimestamp();
        Metrics.MessagesIn.Add(1);
        switch (m.Kind)
        {
            case MarketMessageKind.Trade:
                if (InLockstep)
                {
                    OnLockstepMarketEvent(m.Trade.Time);
                }

                _lastPrice = (decimal)m.Trade.Price;
                _account.MarkAt(_lastPrice);
                if (_risk.OnEquity(_account.Equity, m.Trade.Time))
                {
                    TripKillSwitch(_risk.TripReason!);
                }
                else if (_strategyActive)
                {
                    _strategy.OnTrade(this, m.Trade);
                }

                break;
            case MarketMessageKind.BookTicker:
                if (_strategyActive)
                {
                    _strategy.OnQuote(this, m.Quote);
                }

                break;
            case MarketMessageKind.Kline:
                if (m.KlineClosed && InLockstep)
                {
                    OnLockstepMarketEvent(m.Candle.OpenTime + _settings.IntervalMs);
                }

                OnLiveKline(m.Candle, m.KlineClosed);
                break;
            case MarketMessageKind.ServerShutdown:
                // Routine: reconnect now rather than wait for the server to drop the connection.
                _observer.OnConnection("the market stream announced a shutdown");
                _marketShutdownAnnounced = true;
                _market.Abort("serverShutdown");
                break;
        }

        _tickStart = 0;
    }

    private void OnMarketClosed(string? error)
    {
        _marketClosed = true;
        var routine = error is null || _marketShutdownAnnounced;
        _marketShutdownAnnounced = false;
        if (MarketLost(error ?? "closed by the venue", routine))
        {
            return;
        }

        if (_phase < Phase.Stopping)
        {
            Stop(error is null ? LiveStopReason.VenueClosed : LiveStopReason.Failed, error ?? "the venue closed the market stream");
        }

        MaybeDone();
    }

    private void ClearPending(in PendingRequest request)
    {
        if (request.Sequence != 0 && _orders.TryGet(request.Sequence, out var o) && o.PendingRequestId == request.Id)
        {
            o.PendingRequestId = 0;
        }
    }

    /// <summary>account.status → free quote and base, and the taker rate (start-up only, so a JsonDocument).</summary>
    private (decimal Quote, decimal Base, decimal? Taker) ReadAccount(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        decimal quote = 0, @base = 0;
        decimal? taker = null;
        var root = doc.RootElement;
        if (root.TryGetProperty("balances", out var balances))
        {
            foreach (var b in balances.EnumerateArray())
            {
                var asset = b.GetProperty("asset").GetString();
                var free = decimal.Parse(b.GetProperty("free").GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (asset == Instrument.QuoteAsset)
                {
                    quote = free;
                }
                else if (asset == Instrument.BaseAsset)
                {
                    @base = free;
                }
            }
        }

        if (root.TryGetProperty("commissionRates", out var rates) && rates.TryGetProperty("taker", out var t) && t.GetString() is { } text)
        {
            taker = decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return (quote, @base, taker);
    }
}
