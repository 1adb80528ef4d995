using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Quant.Bench.Backtest;

/// <summary>
/// Watches the runtime's own JIT events (EventPipe, in process) to prove which code a timed loop runs: each
/// MethodLoadVerbose event carries the method's optimization tier in bits 7–9 of MethodFlags (the runtime's
/// <c>ETW::MethodLog</c> encoding). A method whose latest load is <see cref="Tier1"/> runs fully optimized code
/// (with dynamic PGO) on its next call. The encoding: 1 MinOpts, 2 fully optimized (no tiering), 3 tier 0, 4 tier 1,
/// 5 tier-1 OSR (a loop body entered from tier-0 code), 6 instrumented tier 0, 7 instrumented tier 1.
/// Events arrive asynchronously on the listener's thread: wait with <see cref="WaitForTier1"/>.
/// </summary>
internal sealed class JitTierWatch : EventListener
{
    /// <summary>OptimizationTier::OptimizedTier1 in the runtime's method-flags encoding.</summary>
    public const int Tier1 = 4;

    private const long JitKeyword = 0x10;
    private readonly ConcurrentDictionary<string, int> _latest = new(StringComparer.Ordinal);

    /// <summary>Tiers seen, in order, per method (for the printed evidence).</summary>
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _history = new(StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)JitKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) || e.PayloadNames is null)
        {
            return;
        }

        var ns = e.Payload![e.PayloadNames.IndexOf("MethodNamespace")] as string;
        var name = e.Payload[e.PayloadNames.IndexOf("MethodName")] as string;
        var flags = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("MethodFlags")], System.Globalization.CultureInfo.InvariantCulture);
        var key = $"{ns}::{name}";
        var tier = (int)((flags >> 7) & 0x7);
        _latest[key] = tier;
        _history.GetOrAdd(key, _ => new ConcurrentQueue<int>()).Enqueue(tier);
    }

    /// <summary>
    /// Runs <paramref name="warm"/> until the latest JIT of every method matching one of <paramref name="methods"/>
    /// (a type name suffix "::" method name, e.g. "RawSmaCrossLoop::Run") is tier 1, or throws after
    /// <paramref name="maxRounds"/> rounds. Returns the tier history per method, for the report.
    /// </summary>
    public string WaitForTier1(Action warm, int maxRounds, params string[] methods)
    {
        for (var round = 0; round < maxRounds; round++)
        {
            warm();
            Thread.Sleep(50); // the background compiler installs promoted code; the listener thread reports it
            if (methods.All(m => Matches(m).Any() && Matches(m).All(kv => kv.Value == Tier1)))
            {
                return string.Join("; ", methods.Select(m => $"{m} tiers {string.Join(">", Matches(m).SelectMany(kv => _history[kv.Key]))}"));
            }
        }

        var seen = string.Join("; ", methods.Select(m => $"{m}: {string.Join(",", Matches(m).Select(kv => $"{kv.Key}={kv.Value}"))}"));
        throw new InvalidOperationException($"not at tier 1 after {maxRounds} warm-up rounds: {seen}");
    }

    private IEnumerable<KeyValuePair<string, int>> Matches(string method) =>
        _latest.Where(kv => kv.Key.EndsWith(method, StringComparison.Ordinal) || kv.Key.Contains("." + method, StringComparison.Ordinal));
}
