using System.Collections.Concurrent;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Live.Engine;
using Trading.Live.Risk;

namespace Trading.Live.Tests.Support;

/// <summary>Collects the engine's reports (from the loop thread) and lets the test await a line matching a condition.</summary>
internal sealed class SignalingObserver : ILiveObserver
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Done)> _waits = [];
    private readonly Lock _gate = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public Task WaitFor(Func<string, bool> match)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lines.Any(match))
            {
                return Task.CompletedTask;
            }

            _waits.Add((match, tcs));
        }

        return tcs.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    public void OnConnection(string what) => Add("connection " + what);

    public void OnCandle(in Candle candle, bool warmup) => Add($"candle {candle.OpenTime}{(warmup ? " warmup" : "")}");

    public void OnOrder(in OrderEvent e) =>
        Add($"order {e.Kind} {e.Order.Side} {e.Order.Type}{(e.Kind == OrderEventKind.Filled ? $" {e.Fill.Quantity}@{e.Fill.Price}" : "")}{(e.Reason is null ? "" : " " + e.Reason)}");

    public void OnRisk(RiskRule rule, string reason, bool tripped) => Add($"risk {rule} {(tripped ? "tripped " : "")}{reason}");

    public void OnStatus(in LiveStatus status)
    {
    }

    private void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            foreach (var w in _waits.Where(w => w.Match(line)).ToArray())
            {
                _waits.Remove(w);
                w.Done.TrySetResult();
            }
        }
    }
}
