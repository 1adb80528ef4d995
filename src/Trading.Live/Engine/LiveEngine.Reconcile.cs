using System.Text;
using System.Text.Json;
using EventLoop;
using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Journal;
using Trading.Live.Orders;
using Trading.Live.Reconcile;

namespace Trading.Live.Engine;

/// <summary>
/// Restart reconciliation (docs/live-trading.md, "Reconciliation"): when the journal holds orders, before the strategy
/// sees any data, the engine asks the venue over the WebSocket API what <see cref="Reconciler.Plan"/> says —
/// <c>openOrders.status</c>, <c>order.status</c> for every journalled order not known final, <c>myTrades</c> from the
/// journal's last trade id and, for every order the venue executed more of than the journal knows, that order's
/// trades, and <c>account.status</c> — then settles the journal (<see cref="SettlementRecords"/>), takes over the
/// orders still working (journalled ones, and unknown ones under <c>--unknown-orders adopt</c>; unknown ones are
/// canceled otherwise), prints the report and starts the strategy with the venue's balances. All of it is requests and
/// answers on the loop: nothing blocks. A round that fails (an error answer, a timeout, the connection dropping) is
/// asked again after a pause, up to <see cref="MaxReconcileAttempts"/> times; an order whose request may still be
/// arriving (within the receive window) makes the round wait and ask again.
/// </summary>
public sealed partial class LiveEngine
{
    private const int MaxReconcileAttempts = 5;
    private const int TradesPage = 1000;
    private static readonly Callback<LiveEngine> OnReconcileRetry = (e, loop, c, in r) => e.ReconcileRetry(r);

    private readonly Completion _reconcileTimer = new();
    private JournalState? _prior;
    private ReconcileRound? _round;
    private int _reconcileAttempts;

    /// <summary>The restart reconciliation's report, once it ran (null when the journal had no orders).</summary>
    public ReconciliationReport? Reconciliation { get; private set; }

    /// <summary>The journal as it was before this run (loaded when it was opened); null without one.</summary>
    internal JournalState? PriorJournal
    {
        get => _prior;
        set => _prior = value;
    }

    private bool NeedsRestartReconcile => _prior is { Orders.Count: > 0 } && Reconciliation is null;

    /// <summary>The sequence numbers of the journal's orders of this run's id are taken: new orders number after them.</summary>
    private void ReserveJournalSequences()
    {
        if (_prior is null)
        {
            return;
        }

        foreach (var o in _prior.Orders)
        {
            if (_ids.TryParse(o.ClientOrderId, out var seq))
            {
                _orders.ReserveThrough(seq);
            }
        }
    }

    private void StartReconcile()
    {
        ReserveJournalSequences();
        var plan = Reconciler.Plan(_prior!);
        var round = new ReconcileRound(plan);
        _round = round;
        SendReconcile(RequestKind.ReconcileOpenOrders, id => _writer.OpenOrders(id, VenueNow()));
        SendReconcile(RequestKind.ReconcileAccount, id => _writer.AccountStatus(id, VenueNow()));
        foreach (var clientId in plan.ToQuery)
        {
            var bytes = Encoding.ASCII.GetBytes(clientId);
            var id = SendReconcile(RequestKind.ReconcileStatus, i => _writer.Status(i, bytes, 0, VenueNow()));
            round.StatusIds[id] = clientId;
        }

        if (plan.FromTradeId > 1)
        {
            SendReconcile(RequestKind.ReconcileTrades, i => _writer.MyTrades(i, 0, plan.FromTradeId, TradesPage, VenueNow()));
        }
    }

    private long SendReconcile(RequestKind kind, Func<long, ReadOnlyMemory<byte>> write)
    {
        var id = _api.NextId();
        if (_api.Send(id, write(id), kind, 0))
        {
            _round!.Outstanding++;
            _round.Ids.Add(id);
        }
        else
        {
            _round!.Failure ??= "not connected";
        }

        return id;
    }

    private void OnReconcileAnswer(in PendingRequest request, ApiFrame frame, ReadOnlySpan<byte> json)
    {
        var round = _round;
        if (round is null || !IsCurrentRound(round, request))
        {
            return;
        }

        round.Outstanding--;
        try
        {
            if (frame.IsSuccess)
            {
                var result = frame.Result(json);
                switch (request.Kind)
                {
                    case RequestKind.ReconcileOpenOrders:
                        round.Open.AddRange(VenueQueryParser.Orders(result));
                        break;
                    case RequestKind.ReconcileStatus:
                        // Asked for by that client id: a canceled order's answer carries the cancel's id instead.
                        round.Queried.Add(VenueQueryParser.Order(result) with { ClientOrderId = round.StatusIds[request.Id] });
                        break;
                    case RequestKind.ReconcileTrades:
                        round.Trades.AddRange(VenueQueryParser.Trades(result, Instrument.BaseAsset, Instrument.QuoteAsset));
                        break;
                    case RequestKind.ReconcileAccount:
                        (round.Balances, round.Taker) = VenueQueryParser.Account(result, Instrument.BaseAsset, Instrument.QuoteAsset);
                        round.HaveAccount = true;
                        break;
                }
            }
            else if (request.Kind == RequestKind.ReconcileStatus && frame.ErrorCode == -2013)
            {
                round.NotFound.Add(round.StatusIds[request.Id]);
            }
            else
            {
                round.Failure ??= $"{request.Kind}: {frame.ErrorCode} {frame.ErrorMessage}";
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            CountBadFrame("reconciliation answer", e.Message);
            round.Failure ??= $"{request.Kind}: unreadable answer";
        }

        AdvanceReconcile(round);
    }

    private void OnReconcileUnanswered(in PendingRequest request, string why)
    {
        if (_round is { } round && IsCurrentRound(round, request))
        {
            round.Outstanding--;
            round.Failure ??= $"{request.Kind}: {why}";
            AdvanceReconcile(round);
        }
    }

    /// <summary>Answers are matched to the round by id: a late answer to an abandoned round is ignored.</summary>
    private static bool IsCurrentRound(ReconcileRound round, in PendingRequest request) => round.Ids.Remove(request.Id);

    private void AdvanceReconcile(ReconcileRound round)
    {
        if (round.Outstanding > 0)
        {
            return;
        }

        if (round.Failure is { } failure)
        {
            RetryReconcile(failure, TimeSpan.FromSeconds(1));
            return;
        }

        if (!round.TradesAsked)
        {
            // Every order the venue executed more of than the journal and the trades fetched show: that order's trades.
            round.TradesAsked = true;
            var filled = _prior!.Orders.ToDictionary(o => o.ClientOrderId, o => o.FilledQuantity, StringComparer.Ordinal);
            foreach (var v in round.Queried.Concat(round.Open).DistinctBy(v => v.ClientOrderId))
            {
                // (An unknown order's trades too: they are the ones its adoption must not book again.)
                var known = filled.GetValueOrDefault(v.ClientOrderId);
                if (v.ExecutedQuantity > known + round.Trades.Where(t => t.OrderId == v.OrderId).Sum(t => t.Quantity))
                {
                    var orderId = v.OrderId;
                    SendReconcile(RequestKind.ReconcileTrades, i => _writer.MyTrades(i, orderId, 0, TradesPage, VenueNow()));
                }
            }

            if (round.Outstanding > 0 || round.Failure is not null)
            {
                AdvanceReconcile(round);
                return;
            }
        }

        if (!round.HaveAccount)
        {
            RetryReconcile("account.status did not answer", TimeSpan.FromSeconds(1));
            return;
        }

        var view = new VenueView(VenueNow(), round.Open, round.Queried, round.NotFound, round.Trades, round.Balances);
        var report = Reconciler.Reconcile(_prior!, view, _settings.UnknownOrders);
        var unresolved = report.Settlements.Where(s => s.Outcome == SettlementOutcome.Unresolved).ToArray();
        if (unresolved.Length > 0)
        {
            // A request that may still reach the venue: ask again once the receive window has passed.
            var wait = Math.Clamp(unresolved.Max(s => s.RetryAt) - view.Time, 100, 10_000);
            _reconcileAttempts = 0;
            RetryReconcile(null, TimeSpan.FromMilliseconds(wait));
            return;
        }

        _round = null;
        ApplyReconciliation(report, round.Taker);
    }

    private void RetryReconcile(string? failure, TimeSpan delay)
    {
        _round = null;
        if (failure is not null && ++_reconcileAttempts >= MaxReconcileAttempts)
        {
            Stop(LiveStopReason.Failed, $"restart reconciliation failed: {failure}");
            return;
        }

        if (failure is not null)
        {
            Log.Log(StrategyLogLevel.Warning, $"reconciliation: {failure}; asking again");
        }

        _loop.Timer(_reconcileTimer, delay, this, OnReconcileRetry);
    }

    private CallbackAction ReconcileRetry(in CompletionResult r)
    {
        if (!r.IsCanceled && _phase < Phase.Stopping && _api.IsOpen)
        {
            StartReconcile();
        }

        return CallbackAction.Disarm;
    }

    /// <summary>Journals the settlements, takes over the working orders, prints the report, starts trading on the venue's balances.</summary>
    private void ApplyReconciliation(ReconciliationReport report, decimal? taker)
    {
        Reconciliation = report;
        var now = VenueNow();
        var journalled = _prior!.Orders.ToDictionary(o => o.ClientOrderId, StringComparer.Ordinal);
        foreach (var s in report.Settlements)
        {
            foreach (var record in SettlementRecords.For(s, now))
            {
                Append(record);
            }

            if (s.Outcome != SettlementOutcome.StillOpen)
            {
                continue;
            }

            var o = journalled[s.ClientOrderId];
            var fills = _prior.Fills.Where(f => f.ClientOrderId == s.ClientOrderId).Select(f => (f.TradeId, f.Quantity, f.Price))
                .Concat(s.MissingFills.Select(f => (f.TradeId, f.Quantity, f.Price))).ToArray();
            var request = new OrderRequest(o.Side, o.Type, o.Quantity, o.Price, o.StopPrice, o.QuoteQuantity, o.TimeInForce, o.Tag);
            var adopted = Adopt(s.ClientOrderId, request, o.Created, s.VenueOrderId, s.VenueExecutedQuantity, fills);
            _journaled.Add(adopted.Sequence);
        }

        foreach (var u in report.UnknownOrders)
        {
            var v = u.Order;
            var request = v.Price > 0
                ? new OrderRequest(v.Side, OrderType.Limit, v.OriginalQuantity, v.Price, Tag: "adopted")
                : new OrderRequest(v.Side, OrderType.Market, v.OriginalQuantity, Tag: "adopted");
            var trades = report.ForeignTrades.Where(t => t.OrderId == v.OrderId).Select(t => (t.TradeId, t.Quantity, t.Price)).ToArray();
            var adopted = Adopt(v.ClientOrderId, request, v.UpdateTime, v.OrderId, v.ExecutedQuantity, trades);
            if (u.Action == UnknownOrderPolicy.Cancel)
            {
                SendCancel(adopted);
            }
        }

        _observer.OnReconciliation(report);

        BeginTrading(report.Balances.Quote, report.Balances.Base, taker);
    }

    private LiveOrder Adopt(string clientId, in OrderRequest request, long created, long venueOrderId, decimal executed,
        IReadOnlyList<(long TradeId, decimal Quantity, decimal Price)> fills)
    {
        var quantity = fills.Sum(f => f.Quantity);
        var average = quantity > 0 ? fills.Sum(f => f.Quantity * f.Price) / quantity : request.Price;
        var sequence = _ids.TryParse(clientId, out var own) ? own : 0;
        return _orders.Adopt(sequence, clientId, request, created, venueOrderId, executed, average, fills.Select(f => f.TradeId));
    }

    /// <summary>One reconciliation round's questions and answers.</summary>
    private sealed class ReconcileRound(ReconcilePlan plan)
    {
        public ReconcilePlan Plan { get; } = plan;

        public HashSet<long> Ids { get; } = [];

        public Dictionary<long, string> StatusIds { get; } = [];

        public List<VenueOrderState> Open { get; } = [];

        public List<VenueOrderState> Queried { get; } = [];

        public List<string> NotFound { get; } = [];

        public List<VenueTrade> Trades { get; } = [];

        public VenueBalances Balances { get; set; }

        public decimal? Taker { get; set; }

        public bool HaveAccount { get; set; }

        public bool TradesAsked { get; set; }

        public int Outstanding { get; set; }

        public string? Failure { get; set; }
    }
}
