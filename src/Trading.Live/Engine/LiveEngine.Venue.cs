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
        _observer.OnConnection("WebSocket API connected");
        var id = _api.NextId();
        _api.Send(id, _writer.SubscribeUserData(id, VenueNow()), RequestKind.SubscribeUserData, 0);
    }

    private void OnResponse(in PendingRequest request, ApiFrame frame, ReadOnlySpan<byte> json)
    {
        switch (request.Kind)
        {
            case RequestKind.SubscribeUserData:
                if (!frame.IsSuccess)
                {
                    Stop(LiveStopReason.Failed, $"user data subscription refused: {frame.ErrorCode} {frame.ErrorMessage}");
                    return;
                }

                _observer.OnConnection("user data stream subscribed");
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
                    _orders.OnCancelRejected(request.Sequence);
                }

                MaybeFinishStop();
                return;
            case RequestKind.Status:
                ClearPending(request);
                if (frame.IsSuccess)
                {
                    _orders.OnStatus(_orderParser.ReadOne(frame.Result(json)));
                }
                else if (frame.ErrorCode == -2013)
                {
                    _orders.OnStatusNotFound(request.Sequence, Now);
                }

                MaybeFinishStop();
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
                ClearPending(request);
                _needsStatus.Add(request.Sequence);
                break;
            case RequestKind.PlaceOco:
                OnOcoUnanswered(request, why);
                break;
            case RequestKind.SubscribeUserData:
            case RequestKind.AccountStatus:
                Stop(LiveStopReason.Failed, $"{request.Kind}: {why}");
                break;
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
                Stop(LiveStopReason.Failed, "the user data stream ended");
                break;
            case ApiFrameKind.ServerShutdown:
                _observer.OnConnection("the venue announced a shutdown");
                Stop(LiveStopReason.VenueClosed, null);
                break;
        }
    }

    private void OnApiClosed(string? error)
    {
        _apiClosed = true;
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
        _observer.OnConnection(MarketConnected);
        EnterRunning();
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
            case MarketMessageKind.Kline when m.KlineClosed:
                if (InLockstep)
                {
                    OnLockstepMarketEvent(m.Candle.OpenTime + _settings.IntervalMs);
                }

                DeliverCandle(m.Candle, warmup: false);
                break;
            case MarketMessageKind.ServerShutdown:
                _observer.OnConnection("the market stream announced a shutdown");
                Stop(LiveStopReason.VenueClosed, null);
                break;
        }

        _tickStart = 0;
    }

    private void OnMarketClosed(string? error)
    {
        _marketClosed = true;
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

    /// <summary>Routes the two connections' callbacks into the engine (keeps those interfaces off its public surface).</summary>
    private sealed class VenueListener(LiveEngine e) : IApiListener, IMarketListener
    {
        public void OnApiConnected() => e.OnApiConnected();

        public void OnResponse(in PendingRequest request, ApiFrame frame, ReadOnlySpan<byte> json)
        {
            if (!e.InLockstep || !e.OnLockstepAnswer(request))
            {
                e.OnResponse(request, frame, json);
            }

            e.LockstepCheck();
        }

        public void OnUnanswered(in PendingRequest request, string why)
        {
            if (!e.InLockstep || !e.OnLockstepAnswer(request))
            {
                e.OnUnanswered(request, why);
            }

            e.LockstepCheck();
        }

        public void OnUserEvent(ApiFrame frame)
        {
            e.OnUserEvent(frame);
            e.LockstepCheck();
        }

        public void OnApiClosed(string? error) => e.OnApiClosed(error);

        public void OnMarketConnected() => e.OnMarketConnected();

        public void OnMarket(ref MarketMessage message)
        {
            e.OnMarket(ref message);
            e.LockstepCheck();
        }

        public void OnMarketClosed(string? error) => e.OnMarketClosed(error);
    }
}
