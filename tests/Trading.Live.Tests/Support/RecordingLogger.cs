using System.Collections.Concurrent;
using Trading.Core.Strategies;

namespace Trading.Live.Tests.Support;

/// <summary>Keeps what the engine logs (from the loop thread) for a test to read after the run.</summary>
internal sealed class RecordingLogger : IStrategyLogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public bool IsEnabled(StrategyLogLevel level) => true;

    public void Log(StrategyLogLevel level, string message) => _lines.Enqueue($"{level}: {message}");
}
