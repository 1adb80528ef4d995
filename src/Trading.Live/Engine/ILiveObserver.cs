using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Live.Risk;

namespace Trading.Live.Engine;

/// <summary>
/// What the engine tells its host (status line, <c>--json-events</c>, metrics), on the loop thread. Implementations
/// must not block: hand the text to another thread. Nothing passed here holds a secret.
/// </summary>
public interface ILiveObserver
{
    /// <summary>A connection milestone or failure ("market stream connected", "user data subscribed", …).</summary>
    void OnConnection(string what);

    /// <summary>A closed candle reached the strategy (warm-up candles included, flagged).</summary>
    void OnCandle(in Candle candle, bool warmup);

    void OnOrder(in OrderEvent orderEvent);

    /// <summary>A risk rejection (<paramref name="tripped"/> false) or the kill switch tripping (true).</summary>
    void OnRisk(RiskRule rule, string reason, bool tripped);

    /// <summary>About once a second while running, if <see cref="WantsStatus"/>.</summary>
    void OnStatus(in LiveStatus status);

    /// <summary>False when nothing shows the status (no terminal, no JSON events): the engine then arms no status timer,
    /// so an idle engine does not wake up every second for it.</summary>
    bool WantsStatus => true;

    /// <summary>The restart reconciliation's report, before the strategy sees any data; by default its lines as connection milestones.</summary>
    void OnReconciliation(Trading.Live.Reconcile.ReconciliationReport report)
    {
        foreach (var line in report.Lines())
        {
            OnConnection(line);
        }
    }
}
